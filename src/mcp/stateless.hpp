// MCP 2026-07-28 stateless requests (spec 2026-07-28 basic/versioning and basic/transports): no
// initialize and no session; each request names its protocol version and client capabilities in
// params._meta, the HTTP headers MCP-Protocol-Version, Mcp-Method and (for tools/call,
// prompts/get and resources/read) Mcp-Name must agree with the body (else 400 -32020), and
// every result carries resultType, the server's identity in _meta, and on cacheable methods
// ttlMs and cacheScope (cache_hints.hpp). Served in the Worker with no session object; a
// handler that must ask the client (an order confirmation) answers input_required and
// finishes on the client's retry (input_round_trip.hpp).
// A request with modern _meta and no session is stateless; initialize selects the
// session era (basic/versioning#compatibility-matrix).
#pragma once

#include "http/http_message.hpp"
#include "mcp/session_host.hpp"

namespace bmcp::mcp {

inline constexpr const char* kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
inline constexpr const char* kMetaClientCapabilities = "io.modelcontextprotocol/clientCapabilities";

bool is_stateless_request(const Json& body);

// `request_state_key` (32 bytes) seals the state of multi round-trip requests
// (input_round_trip.hpp); empty: handlers cannot ask the client anything on this era.
// `listen_binding` names the hubs that hold subscriptions/listen streams
// (hub/resource_listeners.hpp); empty: a listen is acknowledged with nothing honored.
Task<Json> serve_stateless(Io& io, const http::Request& request, const Json& body,
                           const Principal& principal, const CatalogFor& catalog_for,
                           std::string_view request_state_key,
                           std::string_view listen_binding = {});

}  // namespace bmcp::mcp
