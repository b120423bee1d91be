// subscriptions/listen of the 2026-07-28 protocol (basic/patterns/subscriptions): a
// long-lived request whose SSE response carries the change notifications the client asked
// for. This file holds the protocol's shapes and the filter this server honors; the open
// streams are held per person by the hub (hub/resource_listeners.hpp), so a change seen in
// any isolate reaches every stream of that person, and nobody else's.
//
// Guarantees: the acknowledgment names the subset of the request's filter that is honored —
// only resources the catalog marks subscribable (a change of each is announced); list-changed
// flags are never honored, since this server's lists do not change while it runs — so no
// notification type the client did not ask for is ever sent (MUST NOT). Every message of a
// stream carries the subscription's id (the listen request's JSON-RPC id) in _meta.
#pragma once

#include "base/json.hpp"
#include "mcp/catalog.hpp"

#include <string>
#include <variant>
#include <vector>

namespace bmcp::mcp {

inline constexpr const char* kMetaSubscriptionId = "io.modelcontextprotocol/subscriptionId";
// A filter naming more resources than this is refused (-32602): bounds what a stream keeps.
inline constexpr std::size_t kMaxListenedResources = 16;

struct ListenFilter {
  std::vector<std::string> resources;  // resourceSubscriptions, each subscribable
  bool empty() const { return resources.empty(); }
};

// params.notifications of a listen request, narrowed to what `catalog` can announce; a
// message for the -32602 error when the filter is malformed.
std::variant<ListenFilter, std::string> honored_filter(const Json& params, const Catalog& catalog);

Json filter_to_json(const ListenFilter& filter);
ListenFilter filter_from_json(const Json& notifications);

// notifications/subscriptions/acknowledged: the first message of every stream.
Json listen_acknowledged(const Json& id, const ListenFilter& filter);
// notifications/resources/updated for `uri` on subscription `id`.
Json listen_resource_updated(const Json& id, const std::string& uri);
// The response that ends a subscription gracefully (the server closed it on purpose).
Json listen_closed(const Json& id);

}  // namespace bmcp::mcp
