#include "mcp/session_host.hpp"

#include "base/json_parse.hpp"
#include "crypto/hex.hpp"
#include "effects/effect_args.hpp"
#include "effects/host_api.hpp"
#include "http/call_result.hpp"
#include "mcp/protocol_version.hpp"
#include "mcp/session_in_isolate.hpp"
#include "mcp/sse.hpp"
#include "mcp/stream_resumption.hpp"

namespace bmcp::mcp {
namespace {

constexpr const char* kStateKey = "session";
constexpr const char* kLegacyStreamKey = "sse";
constexpr const char* kServerStreamKey = "server";  // the GET stream for server messages

http::Response rpc_error_response(int status, int code, std::string message) {
  return http::Response::json(status, make_error(nullptr, code, std::move(message)));
}

std::string reply_key(const Json& id) { return "reply:" + dump_json(id); }
std::string cancel_tag(const Json& id) { return "req:" + dump_json(id); }

// Server-to-client request ids: random, so they never collide within a session even
// across isolates and restarts.
Json fresh_request_id(Io& io) { return "srv-" + crypto::hex_encode(io.crypto().random_bytes(8)); }

// Streamable HTTP: the POST's own response becomes an SSE stream on the first message.
// Every event has an id and waits in the mailbox for a connection that resumes the stream
// (stream_resumption.hpp).
class PostStreamOutbound final : public Outbound {
 public:
  PostStreamOutbound(Io& io, std::string session_id)
      : io_(io), session_id_(std::move(session_id)), stream_id_(new_stream_id(io)) {}
  bool can_stream() const override { return true; }
  bool started() const { return started_; }
  // The call result that ends this POST with `message`, as things stand now.
  Json final_answer(const Json& message) const {
    if (!started_) {
      http::Response r = http::Response::json(200, message);
      r.set("Mcp-Session-Id", session_id_);
      return http::fallback(http::respond(r));
    }
    const std::string id = event_id(stream_id_, sent_ + 1);
    Json write = effect_json(effects::to_effect(
        effects::ResponseWrite{.data = sse_event(dump_json(message), "message", id)}));
    return http::fallback(http::streamed(), Json::array({std::move(write)}));
  }
  Task<bool> send(Json message) override {
    if (!started_) {
      started_ = true;
      // Awaited into a named value: GCC 12 miscompiles co_await inside an if condition.
      bool opened = co_await host::response_start(io_, sse_response_head(session_id_));
      if (!opened) co_return false;
    }
    const std::int64_t seq = ++sent_;
    std::string data = dump_json(message);
    // Kept for a resuming connection first: the write below may go nowhere.
    co_await host::mailbox_post(io_, replay_key(stream_id_, seq), data);
    co_return co_await host::response_write(io_,
                                            sse_event(data, "message", event_id(stream_id_, seq)));
  }
  Task<std::optional<Json>> await_reply(const Json& id, std::int64_t timeout_ms) override {
    co_return co_await host::mailbox_wait(io_, reply_key(id), timeout_ms);
  }
  Json next_request_id() override { return fresh_request_id(io_); }

 private:
  Io& io_;
  std::string session_id_;
  std::string stream_id_;
  std::int64_t sent_ = 0;
  bool started_ = false;
};

// Legacy HTTP+SSE: everything travels on the session's GET stream.
class LegacyStreamOutbound final : public Outbound {
 public:
  explicit LegacyStreamOutbound(Io& io) : io_(io) {}
  bool can_stream() const override { return true; }
  static Json final_answer(const Json& message) {
    Json write = effect_json(effects::to_effect(effects::StreamWrite{
        .stream_key = kLegacyStreamKey, .data = sse_event(dump_json(message))}));
    return http::fallback(http::detached(), Json::array({std::move(write)}));
  }
  Task<bool> send(Json message) override {
    co_return co_await host::stream_write(io_, kLegacyStreamKey, sse_event(dump_json(message)));
  }
  Task<std::optional<Json>> await_reply(const Json& id, std::int64_t timeout_ms) override {
    co_return co_await host::mailbox_wait(io_, reply_key(id), timeout_ms);
  }
  Json next_request_id() override { return fresh_request_id(io_); }

 private:
  Io& io_;
};

Task<std::optional<SessionState>> load_state(Io& io) {
  auto stored = co_await host::storage_get(io, kStateKey);
  if (!stored) co_return std::nullopt;
  co_return SessionState::from_json(*stored);
}

// From a request's final JSON-RPC message to the call result that delivers it.
using DeliverMessage = std::function<Json(const Json& message)>;

// Runs one request through the dispatcher, tagged so notifications/cancelled can stop it;
// `deliver` is how its answer would reach the client if the call failed in a critical section.
Task<Json> run_request(Io& io, const McpServer& server, const RpcMessage& request,
                       SessionState& session, const Principal& principal, Outbound& outbound,
                       DeliverMessage deliver) {
  Json progress_token;
  if (const Json* meta = find_member(request.params, "_meta"))
    if (const Json* token = find_member(*meta, "progressToken")) progress_token = *token;
  if (request.method == "tools/call") co_await host::call_tag(io, cancel_tag(request.id));
  RequestContext context(io, principal, outbound, session.protocol_version,
                         session.client_capabilities, progress_token, session.log_level);
  Json id = request.id;
  context.set_final_answer(
      [id, deliver](Json result) { return deliver(make_result(id, std::move(result))); });
  co_return co_await server.handle_request(request, session, context);
}

// Applies a notification or a client response; true if the session state changed.
Task<bool> absorb(Io& io, const RpcMessage& m, SessionState& session) {
  if (m.kind == RpcMessage::Kind::Response) {
    Json reply = Json::object();
    reply[m.is_error ? "error" : "result"] = m.result;
    co_await host::mailbox_post(io, reply_key(m.id), std::move(reply));
    co_return false;
  }
  if (m.method == "notifications/initialized") {
    bool changed = !session.initialized;
    session.initialized = true;
    co_return changed;
  }
  if (m.method == "notifications/cancelled") {
    // basic/utilities/cancellation: stop the work; the cancelled request gets no response.
    if (const Json* id = find_member(m.params, "requestId"))
      co_await host::call_cancel(io, cancel_tag(*id));
    co_return false;
  }
  co_return false;  // other notifications (roots/list_changed, progress) need no action
}

Task<Json> save_if_changed(Io& io, const SessionState& session, const Json& before, Json result,
                           const SubscriptionsChanged& subscriptions_changed) {
  Json after = session.to_json();
  if (after != before) co_await host::storage_put(io, kStateKey, after);
  const Json* had = find_member(before, "subscriptions");
  Json now = session.ended ? Json::array() : after.value("subscriptions", Json::array());
  if (subscriptions_changed && (had ? *had : Json::array()) != now) {
    std::string user = session.user_id;
    std::string id = session.id;
    co_await subscriptions_changed(io, std::move(user), std::move(id), std::move(now));
  }
  co_return result;
}

Task<Json> streamable_post(Io& io, const http::Request& request, const std::string& session_id,
                           const Principal& principal, const CatalogFor& catalog_for,
                           const SubscriptionsChanged& changed) {
  JsonParse parsed = parse_json_checked(request.body);  // -32700 as in the gateway
  if (!parsed.value)
    co_return http::respond(rpc_error_response(
        400, rpc_error::kParseError, "Parse error: " + json_failure_text(parsed.failure)));
  const std::optional<Json>& body = parsed.value;
  auto state = co_await load_state(io);
  McpServer server(catalog_for(principal));

  // initialize creates the session (basic/lifecycle#initialization).
  if (body->is_object() && get_string(*body, "method").value_or("") == "initialize") {
    auto classified = classify(*body);
    if (auto* err = std::get_if<Json>(&classified))
      co_return http::respond(http::Response::json(400, *err));
    const auto& msg = std::get<RpcMessage>(classified);
    if (state)
      co_return http::respond(
          http::Response::json(400, make_error(msg.id, rpc_error::kInvalidRequest,
                                               "Invalid Request: Server already initialized")));
    SessionState created;
    created.id = session_id;
    created.user_id = principal.user_id;
    created.created_ms = io.now_ms();
    Json result = server.initialize(msg.params, created);
    co_await host::storage_put(io, kStateKey, created.to_json());
    http::Response response = http::Response::json(200, make_result(msg.id, std::move(result)));
    response.set("Mcp-Session-Id", session_id);
    co_return http::respond(response);
  }

  // basic/transports#session-management: unknown or ended sessions are 404, and so is a
  // session opened by someone else (never reveal that it exists).
  if (!state || state->ended || state->user_id != principal.user_id)
    co_return http::respond(
        rpc_error_response(404, rpc_error::kSessionNotFound, "Session not found"));
  SessionState& session = *state;
  const Json before = session.to_json();

  std::vector<Json> raw;
  bool batch = body->is_array();
  if (batch) {
    // Batches exist only in 2025-03-26 (basic/index#batching).
    if (!allows_batches(session.protocol_version) || body->empty())
      co_return http::respond(rpc_error_response(
          400, rpc_error::kInvalidRequest,
          "Invalid Request: batches are not supported in this protocol version"));
    for (const Json& m : *body) raw.push_back(m);
  } else {
    raw.push_back(*body);
  }

  std::vector<RpcMessage> requests;
  Json errors = Json::array();
  for (const Json& m : raw) {
    auto classified = classify(m);
    if (auto* err = std::get_if<Json>(&classified)) {
      errors.push_back(*err);
      continue;
    }
    auto& msg = std::get<RpcMessage>(classified);
    if (msg.kind == RpcMessage::Kind::Request) {
      if (msg.method == "initialize") {
        errors.push_back(make_error(msg.id, rpc_error::kInvalidRequest,
                                    "Invalid Request: Server already initialized"));
        continue;
      }
      requests.push_back(std::move(msg));
    } else {
      co_await absorb(io, msg, session);
    }
  }

  if (requests.empty()) {
    if (errors.empty()) {
      co_return co_await save_if_changed(io, session, before,
                                         http::respond(http::Response::empty(202)), changed);
    }
    http::Response r = http::Response::json(400, batch ? errors : errors[0]);
    co_return co_await save_if_changed(io, session, before, http::respond(r), changed);
  }

  if (!batch) {
    PostStreamOutbound outbound(io, session_id);
    const PostStreamOutbound* out = &outbound;
    DeliverMessage deliver = [out](const Json& message) { return out->final_answer(message); };
    Json response =
        co_await run_request(io, server, requests[0], session, principal, outbound, deliver);
    if (outbound.started()) {
      co_await outbound.send(std::move(response));
      co_return co_await save_if_changed(io, session, before, http::streamed(), changed);
    }
    http::Response r = http::Response::json(200, response);
    r.set("Mcp-Session-Id", session_id);
    co_return co_await save_if_changed(io, session, before, http::respond(r), changed);
  }

  NoOutbound none;
  Json responses = errors;
  const Json* so_far = &responses;
  DeliverMessage deliver = [so_far, session_id](const Json& message) {
    Json all = *so_far;  // the answers already known, then this one
    all.push_back(message);
    http::Response r = http::Response::json(200, all);
    r.set("Mcp-Session-Id", session_id);
    return http::fallback(http::respond(r));
  };
  for (const auto& req : requests)
    responses.push_back(co_await run_request(io, server, req, session, principal, none, deliver));
  http::Response r = http::Response::json(200, responses);
  r.set("Mcp-Session-Id", session_id);
  co_return co_await save_if_changed(io, session, before, http::respond(r), changed);
}

// The record an isolate serves this session's plain requests from (session_in_isolate.hpp).
Task<Json> session_record(Io& io) {
  auto stored = co_await host::storage_get(io, kStateKey);
  if (!stored) co_return http::respond(http::Response::json(404, {{"error", "no_session"}}));
  co_return http::respond(http::Response::json(200, *stored));
}

Task<Json> streamable_delete(Io& io, const Principal& principal,
                             const SubscriptionsChanged& changed) {
  auto state = co_await load_state(io);
  if (!state || state->ended || state->user_id != principal.user_id)
    co_return http::respond(
        rpc_error_response(404, rpc_error::kSessionNotFound, "Session not found"));
  const Json before = state->to_json();
  state->ended = true;
  co_return co_await save_if_changed(io, *state, before, http::respond(http::Response::empty(200)),
                                     changed);
}

// A resource changed (hub/resource_listeners.cpp): told on the session's open stream when
// the session is subscribed to it (server/resources#subscriptions).
Task<Json> resource_updated(Io& io, const http::Request& request) {
  auto body = parse_json(request.body);
  auto uri = body ? get_string(*body, "uri") : std::nullopt;
  auto state = co_await load_state(io);
  if (!uri || !state || state->ended || !state->subscriptions.count(*uri))
    co_return http::respond(http::Response::json(410, {{"error", "not_subscribed"}}));
  Json params = {{"uri", *uri}};
  std::string event =
      sse_event(dump_json(make_notification("notifications/resources/updated", std::move(params))));
  const char* stream =
      state->transport == Transport::LegacySse ? kLegacyStreamKey : kServerStreamKey;
  // No open stream: this change is missed (the client reads again when it reconnects).
  const bool told = co_await host::stream_write(io, stream, std::move(event));
  co_return http::respond(http::Response::json(200, {{"told", told}}));
}

// GET: with Last-Event-ID, resume that stream of this session; without, the session's
// stream for server messages, held open (basic/transports#listening-for-messages-from-the-server).
Task<Json> streamable_get(Io& io, const http::Request& request, const std::string& session_id,
                          const Principal& principal) {
  auto state = co_await load_state(io);
  if (!state || state->ended || state->user_id != principal.user_id ||
      state->transport != Transport::StreamableHttp)
    co_return http::respond(
        rpc_error_response(404, rpc_error::kSessionNotFound, "Session not found"));
  if (auto last = request.header("Last-Event-ID")) {
    std::optional<EventPosition> position = parse_event_id(*last);
    if (!position)
      co_return http::respond(
          rpc_error_response(400, rpc_error::kConnectionClosed,
                             "Bad Request: Last-Event-ID is not an event id of this server"));
    co_return co_await resume_stream(io, session_id, std::move(*position));
  }
  co_await host::response_start(io, sse_response_head(session_id), kServerStreamKey);
  co_return http::streamed(/*keep_open=*/true);
}

Task<Json> legacy_open(Io& io, const std::string& session_id, const Principal& principal,
                       const std::string& path) {
  SessionState created;
  created.id = session_id;
  created.transport = Transport::LegacySse;
  created.user_id = principal.user_id;
  created.created_ms = io.now_ms();
  co_await host::storage_put(io, kStateKey, created.to_json());
  co_await host::response_start(io, sse_response_head(), kLegacyStreamKey);
  // 2024-11-05 basic/transports#http-with-sse: the first event names the POST endpoint.
  co_await host::response_write(io,
                                sse_event(path + "/message?sessionId=" + session_id, "endpoint"));
  co_return http::streamed(/*keep_open=*/true);
}

Task<Json> legacy_message(Io& io, const http::Request& request, const Principal& principal,
                          const CatalogFor& catalog_for, const SubscriptionsChanged& changed) {
  auto state = co_await load_state(io);
  if (!state || state->ended || state->user_id != principal.user_id ||
      state->transport != Transport::LegacySse)
    co_return http::respond(http::Response::text(404, "Session not found"));
  JsonParse parsed = parse_json_checked(request.body);
  if (!parsed.value) {
    std::string why = parsed.failure == JsonFailure::kTooDeep
                          ? "Invalid JSON: " + json_failure_text(parsed.failure)
                          : "Invalid JSON";
    co_return http::respond(http::Response::text(400, why));
  }
  const std::optional<Json>& body = parsed.value;
  auto classified = classify(*body);
  if (auto* err = std::get_if<Json>(&classified))
    co_return http::respond(http::Response::json(400, *err));
  RpcMessage msg = std::get<RpcMessage>(std::move(classified));

  // Answer the POST now; the JSON-RPC response travels on the GET stream.
  co_await host::response_send(io, http::Response::text(202, "Accepted"));
  SessionState& session = *state;
  const Json before = session.to_json();
  McpServer server(catalog_for(principal));
  LegacyStreamOutbound outbound(io);
  if (msg.kind != RpcMessage::Kind::Request) {
    co_await absorb(io, msg, session);
  } else if (msg.method == "initialize") {
    Json result = server.initialize(msg.params, session);
    co_await outbound.send(make_result(msg.id, std::move(result)));
  } else {
    DeliverMessage deliver = [](const Json& message) {
      return LegacyStreamOutbound::final_answer(message);
    };
    Json response = co_await run_request(io, server, msg, session, principal, outbound, deliver);
    co_await outbound.send(std::move(response));
  }
  co_return co_await save_if_changed(io, session, before, http::detached(), changed);
}

}  // namespace

Json principal_to_json(const Principal& p) {
  return {{"userId", p.user_id}, {"email", p.email},      {"broker", p.broker},
          {"scope", p.scope},    {"grantId", p.grant_id}, {"authenticated", p.authenticated}};
}

Principal principal_from_json(const Json& j) {
  Principal p;
  p.user_id = get_string(j, "userId").value_or("");
  p.email = get_string(j, "email").value_or("");
  p.broker = get_string(j, "broker").value_or("");
  p.scope = get_string(j, "scope").value_or("");
  p.grant_id = get_string(j, "grantId").value_or("");
  p.authenticated = get_bool(j, "authenticated").value_or(false);
  return p;
}

Task<Json> serve_session_request(Io& io, const http::Request& request, std::string session_id,
                                 const CatalogFor& catalog_for,
                                 const SubscriptionsChanged& subscriptions_changed) {
  Principal principal;
  if (auto header = request.header(kPrincipalHeader))
    if (auto j = parse_json(*header)) principal = principal_from_json(*j);
  const std::string& path = request.parsed_url.path;
  if (path == kSessionRecordPath && request.method == "GET") co_return co_await session_record(io);
  if (path == kSessionResourceUpdatedPath && request.method == "POST")
    co_return co_await resource_updated(io, request);
  if ((path == "/sse" || path == "/mcp/sse") && request.method == "GET")
    co_return co_await legacy_open(io, session_id, principal, path);
  if ((path == "/sse/message" || path == "/mcp/sse/message") && request.method == "POST")
    co_return co_await legacy_message(io, request, principal, catalog_for, subscriptions_changed);
  if (request.method == "POST")
    co_return co_await streamable_post(io, request, session_id, principal, catalog_for,
                                       subscriptions_changed);
  if (request.method == "DELETE")
    co_return co_await streamable_delete(io, principal, subscriptions_changed);
  if (request.method == "GET")
    co_return co_await streamable_get(io, request, session_id, principal);
  http::Response r = rpc_error_response(405, rpc_error::kConnectionClosed, "Method not allowed");
  r.set("Allow", "GET, POST, DELETE");
  co_return http::respond(r);
}

}  // namespace bmcp::mcp
