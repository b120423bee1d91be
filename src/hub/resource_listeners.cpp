#include "hub/resource_listeners.hpp"

#include "crypto/hex.hpp"
#include "effects/host_api.hpp"
#include "http/call_result.hpp"
#include "mcp/session_host.hpp"
#include "mcp/sse.hpp"
#include "mcp/subscriptions.hpp"

#include <algorithm>

namespace bmcp::hub {
namespace {

constexpr const char* kRegistryKey = "listeners";

// [{key, id, notifications}], oldest first.
Task<Json> load_registry(Io& io) {
  std::optional<Json> stored = co_await host::storage_get(io, kRegistryKey);
  co_return (stored && stored->is_array()) ? *stored : Json::array();
}

std::string message_event(const Json& message) { return mcp::sse_event(dump_json(message)); }

constexpr const char* kSessionsKey = "sessions";

// [{session, uris}], oldest first.
Task<Json> load_sessions(Io& io) {
  std::optional<Json> stored = co_await host::storage_get(io, kSessionsKey);
  co_return (stored && stored->is_array()) ? *stored : Json::array();
}

bool names(const Json& uris, const std::string& uri) {
  return uris.is_array() && std::find(uris.begin(), uris.end(), Json(uri)) != uris.end();
}

// Passes the change on to each session subscribed to it; forgets those that say they no
// longer are (410). Answers how many were told.
Task<std::int64_t> tell_sessions(Io& io, const std::string& uri) {
  Json sessions = co_await load_sessions(io);
  Json kept = Json::array();
  std::int64_t told = 0;
  for (const Json& entry : sessions) {
    if (!names(entry.value("uris", Json::array()), uri)) {
      kept.push_back(entry);
      continue;
    }
    http::Request notice;
    notice.method = "POST";
    notice.url = std::string("https://mcp-session.internal") + mcp::kSessionResourceUpdatedPath;
    notice.parsed_url = *http::parse_url(notice.url);
    notice.headers.emplace_back("Content-Type", "application/json");
    notice.body = dump_json({{"uri", uri}});
    std::string session = entry.value("session", std::string());
    host::FetchResult sent =
        co_await host::object_fetch(io, mcp::kSessionBinding, std::move(session), notice);
    if (sent.ok && sent.response.status == 410) continue;  // ended, or unsubscribed: forgotten
    kept.push_back(entry);
    told += sent.ok && sent.response.status == 200;
  }
  if (kept.size() != sessions.size()) co_await host::storage_put(io, kSessionsKey, std::move(kept));
  co_return told;
}

}  // namespace

Task<Json> open_listener(Io& io, const http::Request& request) {
  auto body = parse_json(request.body);
  const Json* id = body ? find_member(*body, "id") : nullptr;
  const Json* notifications = body ? find_member(*body, "notifications") : nullptr;
  if (request.method != "POST" || !id || !(id->is_string() || id->is_number_integer()) ||
      !notifications || !notifications->is_object())
    co_return http::respond(http::Response::json(400, {{"error", "invalid_request"}}));
  const mcp::ListenFilter filter = mcp::filter_from_json(*notifications);

  Json registry = co_await load_registry(io);
  while (registry.size() >= kMaxListenersPerPerson) {
    // The oldest stream ends gracefully: the client sees the listen response, not a drop.
    Json oldest = registry[0];
    registry.erase(registry.begin());
    std::string key = oldest.value("key", std::string());
    co_await host::stream_write(io, key, message_event(mcp::listen_closed(oldest["id"])));
    co_await host::stream_close(io, std::move(key));
  }
  const std::string key = "listen:" + crypto::hex_encode(io.crypto().random_bytes(12));
  registry.push_back({{"key", key}, {"id", *id}, {"notifications", mcp::filter_to_json(filter)}});
  co_await host::storage_put(io, kRegistryKey, std::move(registry));

  http::Response head = mcp::sse_response_head();
  co_await host::response_start(io, head, key);
  co_await host::response_write(io, message_event(mcp::listen_acknowledged(*id, filter)));
  co_return http::streamed(/*keep_open=*/true);
}

Task<std::int64_t> tell_listeners(Io& io, std::string uri) {
  Json registry = co_await load_registry(io);
  Json kept = Json::array();
  std::int64_t told = 0;
  for (const Json& listener : registry) {
    const mcp::ListenFilter filter =
        mcp::filter_from_json(listener.value("notifications", Json::object()));
    const bool asked =
        std::find(filter.resources.begin(), filter.resources.end(), uri) != filter.resources.end();
    if (!asked) {
      kept.push_back(listener);
      continue;
    }
    std::string key = listener.value("key", std::string());
    std::string event = message_event(mcp::listen_resource_updated(listener["id"], uri));
    const bool open = co_await host::stream_write(io, std::move(key), std::move(event));
    if (!open) continue;  // the client went away: forgotten
    kept.push_back(listener);
    ++told;
  }
  if (kept.size() != registry.size()) co_await host::storage_put(io, kRegistryKey, std::move(kept));
  const std::int64_t sessions_told = co_await tell_sessions(io, uri);
  co_return told + sessions_told;
}

Task<Json> record_session_subscriptions(Io& io, const http::Request& request) {
  auto body = parse_json(request.body);
  auto session = body ? get_string(*body, "session") : std::nullopt;
  const Json* uris = body ? find_member(*body, "uris") : nullptr;
  if (!session || session->empty() || !uris || !uris->is_array())
    co_return http::respond(http::Response::json(400, {{"error", "invalid_request"}}));
  Json sessions = co_await load_sessions(io);
  Json kept = Json::array();
  for (const Json& entry : sessions)
    if (entry.value("session", std::string()) != *session) kept.push_back(entry);
  if (!uris->empty()) {
    while (kept.size() >= kMaxSubscribedSessions) kept.erase(kept.begin());
    kept.push_back({{"session", *session}, {"uris", *uris}});
  }
  co_await host::storage_put(io, kSessionsKey, std::move(kept));
  co_return http::respond(http::Response::json(200, {{"sessions", sessions.size()}}));
}

}  // namespace bmcp::hub
