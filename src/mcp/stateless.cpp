#include "mcp/stateless.hpp"

#include "http/call_result.hpp"
#include "crypto/hex.hpp"
#include "mcp/cache_hints.hpp"
#include "mcp/input_round_trip.hpp"
#include "mcp/mirrored_headers.hpp"
#include "mcp/protocol_version.hpp"
#include "mcp/sse.hpp"
#include "mcp/subscriptions.hpp"
#include "effects/effect_args.hpp"
#include "effects/host_api.hpp"

namespace bmcp::mcp {
namespace {

inline constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";
// Who a requestState names when nobody signed in (the conformance fixture only): no user id
// can take this form, since every real one is "<broker>:<id>".
inline constexpr const char* kAnonymousCaller = "anonymous";

const Json* meta_of(const Json& body) {
  const Json* params = find_member(body, "params");
  return params ? find_member(*params, "_meta") : nullptr;
}

http::Response error_response(int status, const Json& id, int code, std::string message,
                              Json data = nullptr) {
  return http::Response::json(status, make_error(id, code, std::move(message), std::move(data)));
}

// The server's identity, in result _meta (basic/versioning "serverInfo").
void put_server_info(Json& result, const ServerIdentity& identity) {
  Json& meta = result["_meta"];
  if (!meta.is_object()) meta = Json::object();
  meta[kMetaServerInfo] = {
      {"name", identity.name}, {"title", identity.title}, {"version", identity.version}};
}

// What every 2026-07-28 result carries: its resultType, the server's identity in _meta
// (basic/versioning "serverInfo"), and for a cacheable method a caching hint; a method
// whose handler gave none is marked stale at once rather than cached on a guess.
void finish_result(Json& result, std::string_view method, const ServerIdentity& identity) {
  result["resultType"] = "complete";
  put_server_info(result, identity);
  if (is_cacheable_method(method) && (!result.contains("ttlMs") || !result.contains("cacheScope")))
    put_cache_hint(result, CacheHint{});
}

// An interim result: the questions of this round and the sealed state to echo. Not
// cacheable (server/utilities/caching), so it carries no caching hint.
Json input_required_result(Json input_requests, std::string request_state,
                           const ServerIdentity& identity) {
  Json result = {{"resultType", "input_required"},
                 {"inputRequests", std::move(input_requests)},
                 {"requestState", std::move(request_state)}};
  put_server_info(result, identity);
  return result;
}

// A 2026-07-28 request's own response (streamable-http 2026-07-28): notifications about
// the request (progress) make it an SSE stream as they come, and its response ends that
// stream; before any, the answer is one JSON body. Server-to-client requests do not travel
// on it (this era has none): they go to `inner`, which turns them into an input_required
// round trip or refuses them.
class RequestStream final : public Outbound {
 public:
  RequestStream(Io& io, Outbound& inner) : io_(io), inner_(inner) {}
  bool can_stream() const override { return true; }
  bool can_ask() const override { return inner_.can_ask(); }
  bool defers_requests() const override { return inner_.defers_requests(); }
  Task<bool> send(Json message) override {
    if (message.contains("id")) co_return co_await inner_.send(std::move(message));
    if (!started_) {
      started_ = true;
      http::Response head = sse_response_head();
      bool opened =
          co_await host::response_start(io_, head);  // named: GCC 12 and co_await in conditions
      if (!opened) co_return false;
    }
    co_return co_await host::response_write(io_, sse_event(dump_json(message)));
  }
  Task<std::optional<Json>> await_reply(const Json& id, std::int64_t timeout_ms) override {
    co_return co_await inner_.await_reply(id, timeout_ms);
  }
  Json next_request_id() override { return inner_.next_request_id(); }
  Json request_id_for(const Question& question) override { return inner_.request_id_for(question); }

  // The call result that answers the request with `message` (HTTP `status` while nothing
  // was streamed; once streaming, the status was 200 and the message is the last event).
  Task<Json> answer(int status, Json message) {
    if (!started_) co_return http::respond(http::Response::json(status, message));
    co_await host::response_write(io_, sse_event(dump_json(message)));
    co_return http::streamed();
  }
  // The same, as a critical section's fallback (effects/critical_section.hpp).
  Json fallback_answer(const Json& message) const {
    if (!started_) return http::fallback(http::respond(http::Response::json(200, message)));
    Json write = effect_json(
        effects::to_effect(effects::ResponseWrite{.data = sse_event(dump_json(message))}));
    return http::fallback(http::streamed(), Json::array({std::move(write)}));
  }

 private:
  Io& io_;
  Outbound& inner_;
  bool started_ = false;
};

bool can_listen(const Catalog& catalog, std::string_view listen_binding) {
  if (listen_binding.empty()) return false;
  for (const ResourceDefinition& r : catalog.resources)
    if (r.subscribable) return true;
  return false;
}

// subscriptions/listen (basic/patterns/subscriptions): the filter is narrowed to what this
// server announces, then the stream is held by the person's hub (hub/resource_listeners.hpp),
// where every change seen for them arrives. A filter with nothing to honor is acknowledged
// and closed at once, rather than kept open with nothing to say.
Task<Json> listen(Io& io, const RpcMessage& msg, const Catalog& catalog, const Principal& principal,
                  std::string_view listen_binding) {
  std::variant<ListenFilter, std::string> honored = honored_filter(msg.params, catalog);
  if (auto* problem = std::get_if<std::string>(&honored))
    co_return http::respond(
        error_response(400, msg.id, rpc_error::kInvalidParams, std::move(*problem)));
  ListenFilter filter = std::get<ListenFilter>(std::move(honored));
  if (!can_listen(catalog, listen_binding) || principal.user_id.empty()) filter = ListenFilter{};
  if (filter.empty()) {
    http::Response head = sse_response_head();
    head.body = sse_event(dump_json(listen_acknowledged(msg.id, filter))) +
                sse_event(dump_json(listen_closed(msg.id)));
    co_return http::respond(head);
  }
  http::Request opening;
  opening.method = "POST";
  opening.url = "https://user-hub.internal/listen";
  opening.parsed_url = *http::parse_url(opening.url);
  opening.headers.emplace_back("Content-Type", "application/json");
  opening.body = dump_json({{"id", msg.id}, {"notifications", filter_to_json(filter)}});
  co_return http::forward_to_object(std::string(listen_binding), principal.user_id, opening);
}

}  // namespace

bool is_stateless_request(const Json& body) {
  const Json* meta = meta_of(body);
  return meta && find_member(*meta, kMetaProtocolVersion);
}

Task<Json> serve_stateless(Io& io, const http::Request& request, const Json& body,
                           const Principal& principal, const CatalogFor& catalog_for,
                           std::string_view request_state_key, std::string_view listen_binding) {
  auto classified = classify(body);
  if (auto* err = std::get_if<Json>(&classified))
    co_return http::respond(http::Response::json(400, *err));
  const RpcMessage& msg = std::get<RpcMessage>(classified);
  // Removed in 2026-07-28 (changelog): those methods are unknown on this era, 404.
  if (msg.method == "initialize" || msg.method == "ping" || msg.method == "logging/setLevel" ||
      msg.method == "resources/subscribe" || msg.method == "resources/unsubscribe")
    co_return http::respond(
        error_response(404, msg.id, rpc_error::kMethodNotFound, "Method not found: " + msg.method));
  // basic/versioning (2026-07-28): every request names its version and the client's
  // capabilities in _meta; one that does not is Invalid params, with HTTP 400 (SEP-2575).
  const Json* meta_member = meta_of(body);
  if (!meta_member || !meta_member->is_object())
    co_return http::respond(
        error_response(400, msg.id, rpc_error::kInvalidParams,
                       "Invalid params: _meta with io.modelcontextprotocol/protocolVersion and "
                       "io.modelcontextprotocol/clientCapabilities is required"));
  const Json& meta = *meta_member;
  auto body_version = get_string(meta, kMetaProtocolVersion);
  if (!body_version)
    co_return http::respond(error_response(
        400, msg.id, rpc_error::kInvalidParams,
        "Invalid params: _meta[\"io.modelcontextprotocol/protocolVersion\"] is required"));
  const std::string version = *body_version;
  // streamable-http (2026-07-28): headers must mirror the body, else HeaderMismatch —
  // checked before the version itself, so a mismatch is named as one.
  auto header_version = request.header("MCP-Protocol-Version");
  auto header_method = request.header("Mcp-Method");
  if (!header_version || http::trim_ows(*header_version) != version || !header_method ||
      http::trim_ows(*header_method) != msg.method)
    co_return http::respond(
        error_response(400, msg.id, rpc_error::kHeaderMismatch,
                       "Header mismatch: MCP-Protocol-Version and Mcp-Method must match the body"));
  if (version != kStatelessVersion)
    co_return http::respond(
        error_response(400, msg.id, rpc_error::kUnsupportedProtocolVersion,
                       "Unsupported protocol version: " + version,
                       {{"supported", supported_protocol_versions()}, {"requested", version}}));
  const Json* declared_caps = find_member(meta, kMetaClientCapabilities);
  if (msg.kind == RpcMessage::Kind::Request && (!declared_caps || !declared_caps->is_object()))
    co_return http::respond(
        error_response(400, msg.id, rpc_error::kInvalidParams,
                       "Invalid params: _meta[\"io.modelcontextprotocol/clientCapabilities\"] is "
                       "required (an empty object when "
                       "the client has none)"));
  if (msg.kind != RpcMessage::Kind::Request) co_return http::respond(http::Response::empty(202));
  if (auto problem = name_header_problem(request, msg))
    co_return http::respond(
        error_response(400, msg.id, rpc_error::kHeaderMismatch, std::move(*problem)));
  if (msg.method == "tools/call") {
    const std::string tool_name = get_string(msg.params, "name").value_or("");
    for (const ToolDefinition& tool : catalog_for(principal).tools) {
      if (tool.name != tool_name) continue;
      ParamHeaderDeclarations declared = param_header_declarations(tool.input_schema);
      const Json* arguments = find_member(msg.params, "arguments");
      if (auto problem =
              param_headers_problem(request, declared.params, arguments ? *arguments : Json()))
        co_return http::respond(
            error_response(400, msg.id, rpc_error::kHeaderMismatch, std::move(*problem)));
      break;
    }
  }

  if (msg.method == "subscriptions/listen")
    co_return co_await listen(io, msg, catalog_for(principal), principal, listen_binding);

  McpServer server(catalog_for(principal));
  Json caps = Json::object();
  if (const Json* c = find_member(meta, kMetaClientCapabilities); c && c->is_object()) caps = *c;

  Json response;
  if (msg.method == "server/discover") {
    const Catalog& catalog = catalog_for(principal);
    // resources.subscribe means subscriptions/listen honors resourceSubscriptions: only
    // where a listener can be told (a hub is bound and the catalog has a subscribable resource).
    Json capabilities = server.capabilities();
    if (Json* resources = &capabilities["resources"];
        resources->is_object() && !can_listen(catalog, listen_binding))
      resources->erase("subscribe");
    Json result = {
        {"supportedVersions", supported_protocol_versions()},
        {"capabilities", std::move(capabilities)},
        {"serverInfo", {{"name", catalog.identity.name}, {"version", catalog.identity.version}}}};
    if (!catalog.identity.instructions.empty())
      result["instructions"] = catalog.identity.instructions;
    put_cache_hint(result, kCatalogCacheHint);
    finish_result(result, msg.method, catalog.identity);
    response = make_result(msg.id, std::move(result));
  } else {
    // Multi round-trip (input_round_trip.hpp): a request is resumed only with the state this
    // server sealed for exactly this request and person. Every request is a signed-in
    // person's, except in the conformance fixture (no sign-in), whose one anonymous caller
    // the state names as such.
    const bool can_round_trip = !request_state_key.empty();
    const std::string bound_user =
        principal.authenticated ? principal.user_id : std::string(kAnonymousCaller);
    const Json* state_member = find_member(msg.params, "requestState");
    const Json* responses = find_member(msg.params, "inputResponses");
    Json answers = Json::object();
    Json unsealed = Json::object();
    bool resumed = false;
    // inputResponses without a requestState answer only questions asked as ephemeral
    // (mcp::Question: SEP-2322's stateless flow, for answers that authorize nothing); for
    // every other question they are ignored (SEP-2322: unrecognized information is
    // ignored) and the request runs as a first round, which asks again. Such answers count
    // only with the sealed state of the round that asked, so a client cannot answer a
    // question (an order's confirmation) it was never shown.
    if (!state_member && responses && responses->is_object()) unsealed = *responses;
    if (state_member) {
      std::optional<RoundTripState> state;
      if (can_round_trip && state_member && state_member->is_string())
        state =
            open_request_state(io.crypto(), request_state_key, state_member->get<std::string>());
      const bool valid =
          state && state->user_id == bound_user && state->method == msg.method &&
          state->params_digest == round_trip_params_digest(io.crypto(), msg.params) &&
          state->expires_at_ms > io.now_ms();
      if (!valid)
        co_return http::respond(http::Response::json(
            200, make_error(
                     msg.id, rpc_error::kInvalidParams,
                     "Invalid params: requestState is not one this server issued for this request "
                     "(or it "
                     "expired); send the request again without inputResponses and requestState")));
      answers = state->answers;
      if (responses && responses->is_object())
        for (const Json& key : state->asked)
          if (key.is_string() && responses->contains(key.get<std::string>()))
            answers[key.get<std::string>()] = (*responses)[key.get<std::string>()];
      const bool first_use =
          co_await use_request_state_once(io, state->nonce, state->expires_at_ms);
      if (!first_use)
        co_return http::respond(http::Response::json(
            200, make_error(msg.id, rpc_error::kInvalidParams,
                            "Invalid params: this requestState was already used, so this retry was "
                            "not run again; "
                            "send the request again without inputResponses and requestState")));
      resumed = true;
    }
    SessionState scratch;
    scratch.protocol_version = version;
    scratch.client_capabilities = caps;
    NoOutbound none;
    InputRoundTrip round_trip(std::move(answers), std::move(unsealed));
    Outbound& inner =
        can_round_trip ? static_cast<Outbound&>(round_trip) : static_cast<Outbound&>(none);
    RequestStream stream(io, inner);
    // basic/utilities/progress: only when the request asked for it with a progressToken.
    Json progress_token;
    if (const Json* token = find_member(meta, "progressToken")) progress_token = *token;
    RequestContext context(io, principal, stream, version, caps, progress_token, "");
    context.set_resumed(resumed);
    Json id = msg.id;
    std::string method = msg.method;
    ServerIdentity identity = catalog_for(principal).identity;
    const RequestStream* answering = &stream;
    context.set_final_answer([id, method, identity, answering](Json result) {
      finish_result(result, method, identity);
      return answering->fallback_answer(make_result(id, std::move(result)));
    });
    // A listing is the same text for everyone who may see the same tools: built once.
    const ServerIdentity* finishing = &identity;
    McpServer::FinishResult finish = [finishing, method](Json& result) {
      finish_result(result, method, *finishing);
    };
    if (std::optional<std::string> listed = server.listing_text(msg, context, finish))
      co_return http::respond(http::Response::text(200, std::move(*listed), "application/json"));
    response = co_await server.handle_request(msg, scratch, context);
    if (can_round_trip && !round_trip.unanswered().empty() && response.contains("result")) {
      // The handler asked something it has no answer to yet (and stopped): the questions
      // go back with a sealed state; the interim answer the handler returned is not sent.
      RoundTripState next;
      next.user_id = bound_user;
      next.method = msg.method;
      next.params_digest = round_trip_params_digest(io.crypto(), msg.params);
      next.answers = round_trip.answers();
      next.asked = Json::array();
      for (auto it = round_trip.unanswered().begin(); it != round_trip.unanswered().end(); ++it)
        next.asked.push_back(it.key());
      next.expires_at_ms = io.now_ms() + kRequestStateLifetimeMs;
      next.nonce = crypto::hex_encode(io.crypto().random_bytes(16));
      auto sealed = seal_request_state(io.crypto(), request_state_key, next);
      Json interim = sealed ? make_result(msg.id, input_required_result(
                                                      round_trip.unanswered(), std::move(*sealed),
                                                      catalog_for(principal).identity))
                            : make_error(msg.id, rpc_error::kInternalError,
                                         "Internal error: the request state could not be sealed");
      co_return co_await stream.answer(200, std::move(interim));
    }
    if (const Json* err = find_member(response, "error")) {
      if (get_int(*err, "code").value_or(0) == rpc_error::kMethodNotFound)
        co_return co_await stream.answer(404, std::move(response));
      // streamable-http 2026-07-28: MissingRequiredClientCapabilityError is HTTP 400.
      if (get_int(*err, "code").value_or(0) == rpc_error::kMissingRequiredClientCapability)
        co_return co_await stream.answer(400, std::move(response));
      // 2026-07-28 moved "resource not found" to -32602 (SEP-2164).
      if (get_int(*err, "code").value_or(0) == rpc_error::kResourceNotFound)
        response["error"]["code"] = rpc_error::kInvalidParams;
    } else if (Json* result = &response["result"]; result->is_object()) {
      finish_result(*result, msg.method, catalog_for(principal).identity);
    }
    co_return co_await stream.answer(200, std::move(response));
  }
  co_return http::respond(http::Response::json(200, response));
}

}  // namespace bmcp::mcp
