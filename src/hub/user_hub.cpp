#include "hub/user_hub.hpp"

#include "effects/host_api.hpp"
#include "http/call_result.hpp"
#include "hub/resource_listeners.hpp"

#include <algorithm>
#include <variant>

namespace bmcp::hub {
namespace {

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string error_frame(std::string_view code, std::string_view message) {
  return dump_json({{"type", "error"}, {"error", code}, {"message", message}});
}

Json channels_of(const Json& attachment) {
  Json out = Json::array();
  if (const Json* c = find_member(attachment, "channels"); c && c->is_array())
    for (const Json& ch : *c)
      if (ch.is_string() && valid_channel(ch.get<std::string>())) out.push_back(ch);
  return out;
}

bool contains(const Json& list, const Json& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The channel list of a subscribe/unsubscribe frame; an error frame when it is unusable.
std::variant<Json, std::string> requested_channels(const Json& frame) {
  const Json* c = find_member(frame, "channels");
  if (!c || !c->is_array() || c->empty())
    return error_frame("invalid_request", "channels must be a non-empty array of channel names");
  for (const Json& ch : *c)
    if (!ch.is_string() || !valid_channel(ch.get<std::string>()))
      return error_frame(
          "invalid_channel",
          "channels are \"analysis\" or \"analysis:<workflowId>\"; got " + dump_json(ch));
  return *c;
}

}  // namespace

bool valid_channel(std::string_view channel) {
  if (channel == "analysis") return true;
  constexpr std::string_view prefix = "analysis:an_";
  if (channel.substr(0, prefix.size()) != prefix) return false;
  std::string_view id = channel.substr(prefix.size());
  return id.size() == 24 && is_lower_hex(id);
}

Task<Json> serve_hub_request(Io& io, const http::Request& request) {
  const std::string& path = request.parsed_url.path;
  if (path == "/ws") {
    auto upgrade = request.header("Upgrade");
    if (request.method != "GET" || !upgrade || !http::iequals(*upgrade, "websocket"))
      co_return http::respond(
          http::Response::text(426, "Upgrade Required: /ws is a WebSocket endpoint"));
    co_return http::accept_websocket({{"channels", Json::array()}});
  }
  if (path == "/broadcast" && request.method == "POST") {
    auto body = parse_json(request.body);
    const Json* event = body ? find_member(*body, "event") : nullptr;
    const Json* channels = body ? find_member(*body, "channels") : nullptr;
    if (!event || !event->is_object() || !channels || !channels->is_array())
      co_return http::respond(http::Response::json(400, {{"error", "invalid_request"}}));
    const std::int64_t delivered = co_await host::hub_broadcast(io, *channels, dump_json(*event));
    // The resources the event changed (an analysis that finished changes history://analyses).
    if (const Json* updated = find_member(*body, "resourcesUpdated");
        updated && updated->is_array())
      for (const Json& uri : *updated)
        if (uri.is_string()) {
          std::string changed = uri.get<std::string>();
          co_await tell_listeners(io, std::move(changed));
        }
    co_return http::respond(http::Response::json(200, {{"delivered", delivered}}));
  }
  if (path == "/listen") co_return co_await open_listener(io, request);
  if (path == "/session-subscriptions" && request.method == "POST")
    co_return co_await record_session_subscriptions(io, request);
  if (path == "/resource-updated" && request.method == "POST") {
    auto body = parse_json(request.body);
    auto uri = body ? get_string(*body, "uri") : std::nullopt;
    if (!uri) co_return http::respond(http::Response::json(400, {{"error", "invalid_request"}}));
    const std::int64_t told = co_await tell_listeners(io, std::move(*uri));
    co_return http::respond(http::Response::json(200, {{"told", told}}));
  }
  co_return http::respond(http::Response::json(404, {{"error", "not_found"}}));
}

Json on_subscriber_message(std::string_view text, const Json& attachment) {
  Json channels = channels_of(attachment);
  if (text.size() > kMaxFrameBytes)
    return http::websocket_reply({error_frame("too_large", "frames are at most 4096 bytes")});
  auto frame = parse_json(text);
  if (!frame || !frame->is_object())
    return http::websocket_reply({error_frame("invalid_json", "send one JSON object per frame")});
  const std::string type = get_string(*frame, "type").value_or("");
  if (type == "ping") return http::websocket_reply({dump_json({{"type", "pong"}})});
  if (type != "subscribe" && type != "unsubscribe")
    return http::websocket_reply(
        {error_frame("unknown_type", "type must be subscribe, unsubscribe or ping")});
  auto requested = requested_channels(*frame);
  if (auto* err = std::get_if<std::string>(&requested)) return http::websocket_reply({*err});
  const Json& list = std::get<Json>(requested);
  if (type == "subscribe") {
    for (const Json& ch : list)
      if (!contains(channels, ch)) channels.push_back(ch);
    if (channels.size() > kMaxChannelsPerSocket)
      return http::websocket_reply(
          {error_frame("too_many_channels", "a socket subscribes to at most 16 channels")});
  } else {
    Json kept = Json::array();
    for (const Json& ch : channels)
      if (!contains(list, ch)) kept.push_back(ch);
    channels = std::move(kept);
  }
  Json reply = {{"type", type == "subscribe" ? "subscribed" : "unsubscribed"},
                {"channels", channels}};
  return http::websocket_reply({dump_json(reply)}, Json{{"channels", channels}});
}

}  // namespace bmcp::hub
