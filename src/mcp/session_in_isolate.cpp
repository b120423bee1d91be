#include "mcp/session_in_isolate.hpp"

#include "base/json_parse.hpp"
#include "effects/host_api.hpp"
#include "http/call_result.hpp"
#include "mcp/server.hpp"

#include <array>
#include <algorithm>
#include <string_view>

namespace bmcp::mcp {
namespace {

bool has_progress_token(const RpcMessage& request) {
  const Json* meta = find_member(request.params, "_meta");
  return meta && find_member(*meta, "progressToken");
}

// The session's record as its object holds it; nullopt when there is none or the object
// could not be asked.
Task<std::optional<SessionState>> fetch_record(Io& io, const std::string& binding,
                                               const std::string& session_id) {
  http::Request peek;
  peek.method = "GET";
  peek.url = std::string("https://session.internal") + kSessionRecordPath;
  peek.parsed_url = *http::parse_url(peek.url);
  host::FetchResult answer = co_await host::object_fetch(io, binding, session_id, peek);
  if (!answer.ok || answer.response.status != 200) co_return std::nullopt;
  std::optional<Json> body = parse_json(answer.response.body);
  if (!body) co_return std::nullopt;
  co_return SessionState::from_json(*body);
}

http::Response session_not_found() {
  return http::Response::json(
      404, make_error(nullptr, rpc_error::kSessionNotFound, "Session not found"));
}

}  // namespace

bool runs_in_isolate(const RpcMessage& request, const Catalog& catalog) {
  if (request.kind != RpcMessage::Kind::Request || has_progress_token(request)) return false;
  static constexpr std::array<std::string_view, 8> kRecordOnly = {
      "ping",           "tools/list",         "prompts/list",
      "prompts/get",    "resources/list",     "resources/templates/list",
      "resources/read", "completion/complete"};
  if (std::find(kRecordOnly.begin(), kRecordOnly.end(), request.method) != kRecordOnly.end())
    return true;
  if (request.method != "tools/call") return false;
  // A tool that says it only reads, needs no client capability (sampling, elicitation) and
  // not the session object: it can neither ask the client anything nor leave something
  // half done at the broker, and its answer is the same wherever it runs.
  const ToolDefinition* tool = catalog.find_tool(get_string(request.params, "name").value_or(""));
  return tool && tool->annotations.read_only.value_or(false) &&
         tool->required_client_capability.empty() && !tool->needs_session_object;
}

bool changes_session_record(const RpcMessage& message) {
  if (message.kind == RpcMessage::Kind::Response) return false;
  // (notifications/initialized changes a flag nothing served here reads.)
  return message.method == "logging/setLevel" || message.method == "resources/subscribe" ||
         message.method == "resources/unsubscribe";
}

Task<std::optional<Json>> serve_in_isolate(Io& io, const RpcMessage& request,
                                           const std::string& session_id,
                                           const Principal& principal, const Catalog& catalog,
                                           SessionCache& cache,
                                           const std::string& session_binding) {
  // A change this isolate sent on is still settling: the object answers.
  if (cache.held(session_id, io.now_ms())) co_return std::nullopt;
  std::optional<SessionState> session;
  if (const SessionState* known = cache.find(session_id, io.now_ms())) {
    session = *known;  // a copy: the cache may change while this request waits
  } else {
    const std::int64_t asked_at = io.now_ms();
    session = co_await fetch_record(io, session_binding, session_id);
    if (!session || session->id != session_id) co_return std::nullopt;
    // A change that began while the record was on its way (a DELETE) may not be in it:
    // the object answers, and the record is not kept.
    if (cache.held(session_id, io.now_ms())) co_return std::nullopt;
    // Its age counts from when it was asked for, not from when it arrived.
    cache.remember(*session, asked_at);
  }
  if (session->transport != Transport::StreamableHttp) co_return std::nullopt;
  // basic/transports#session-management: an ended session is 404, and so is one opened by
  // someone else (never reveal that it exists) — checked on every request, cached or not.
  if (session->ended || session->user_id != principal.user_id)
    co_return http::respond(session_not_found());

  McpServer server(catalog);
  NoOutbound none;
  RequestContext context(io, principal, none, session->protocol_version,
                         session->client_capabilities, nullptr, session->log_level);
  http::Response r;
  if (std::optional<std::string> listed = server.listing_text(request, context)) {
    r = http::Response::text(200, std::move(*listed), "application/json");
  } else {
    Json response = co_await server.handle_request(request, *session, context);
    r = http::Response::json(200, response);
  }
  r.set("Mcp-Session-Id", session_id);
  co_return http::respond(r);
}

}  // namespace bmcp::mcp
