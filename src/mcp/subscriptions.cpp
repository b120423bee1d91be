#include "mcp/subscriptions.hpp"

#include "mcp/jsonrpc.hpp"

#include <algorithm>

namespace bmcp::mcp {
namespace {

Json with_subscription(const Json& id, Json params) {
  params["_meta"] = {{kMetaSubscriptionId, id}};
  return params;
}

bool subscribable(const Catalog& catalog, const std::string& uri) {
  return std::any_of(catalog.resources.begin(), catalog.resources.end(),
                     [&](const ResourceDefinition& r) { return r.subscribable && r.uri == uri; });
}

}  // namespace

std::variant<ListenFilter, std::string> honored_filter(const Json& params, const Catalog& catalog) {
  const Json* notifications = find_member(params, "notifications");
  if (!notifications) return std::string("Invalid params: notifications (the filter) is required");
  if (!notifications->is_object())
    return std::string("Invalid params: notifications must be an object");
  for (const char* flag : {"toolsListChanged", "promptsListChanged", "resourcesListChanged"})
    if (const Json* f = find_member(*notifications, flag); f && !f->is_boolean())
      return std::string("Invalid params: notifications.") + flag + " must be a boolean";
  ListenFilter filter;
  const Json* uris = find_member(*notifications, "resourceSubscriptions");
  if (!uris) return filter;
  if (!uris->is_array() || uris->size() > kMaxListenedResources)
    return "Invalid params: notifications.resourceSubscriptions must be an array of at most " +
           std::to_string(kMaxListenedResources) + " resource URIs";
  for (const Json& uri : *uris) {
    if (!uri.is_string())
      return std::string(
          "Invalid params: notifications.resourceSubscriptions holds URIs (strings)");
    const std::string text = uri.get<std::string>();
    if (subscribable(catalog, text) &&
        std::find(filter.resources.begin(), filter.resources.end(), text) == filter.resources.end())
      filter.resources.push_back(text);
  }
  return filter;
}

Json filter_to_json(const ListenFilter& filter) {
  Json out = Json::object();
  if (!filter.resources.empty()) out["resourceSubscriptions"] = filter.resources;
  return out;
}

ListenFilter filter_from_json(const Json& notifications) {
  ListenFilter filter;
  if (const Json* uris = find_member(notifications, "resourceSubscriptions");
      uris && uris->is_array())
    for (const Json& uri : *uris)
      if (uri.is_string()) filter.resources.push_back(uri.get<std::string>());
  return filter;
}

Json listen_acknowledged(const Json& id, const ListenFilter& filter) {
  return make_notification("notifications/subscriptions/acknowledged",
                           with_subscription(id, {{"notifications", filter_to_json(filter)}}));
}

Json listen_resource_updated(const Json& id, const std::string& uri) {
  return make_notification("notifications/resources/updated",
                           with_subscription(id, {{"uri", uri}}));
}

Json listen_closed(const Json& id) {
  return make_result(id, with_subscription(id, {{"resultType", "complete"}}));
}

}  // namespace bmcp::mcp
