#include "mcp/gateway.hpp"

#include "base/json_parse.hpp"
#include "crypto/hex.hpp"
#include "http/call_result.hpp"
#include "mcp/protocol_version.hpp"
#include "mcp/session_in_isolate.hpp"
#include "mcp/stateless.hpp"

namespace bmcp::mcp {
namespace {

http::Response rpc_error_response(int status, int code, std::string message) {
  return http::Response::json(status, make_error(nullptr, code, std::move(message)));
}

bool accepts(const http::Request& r, std::string_view type) {
  auto accept = r.header("Accept");
  if (!accept) return false;
  std::string lower(*accept);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find(type) != std::string::npos || lower.find("*/*") != std::string::npos;
}

bool is_loopback_origin(std::string_view origin) {
  auto url = http::parse_url(origin);
  if (!url || url->scheme != "http") return false;
  std::string host = url->host;
  if (!host.empty() && host[0] == '[') {
    return host.rfind("[::1]", 0) == 0;
  }
  auto colon = host.find(':');
  std::string name = host.substr(0, colon);
  return name == "localhost" || name == "127.0.0.1";
}

// The request to hand to the session object: the principal set by us, never by the
// client, and no bearer token (tokens are not passed on; authorization#token-handling).
http::Request forwarded(const http::Request& request, const Principal& principal,
                        const std::string& session_id) {
  http::Request out;
  out.method = request.method;
  out.url = request.url;
  out.parsed_url = request.parsed_url;
  out.body = request.body;
  for (const auto& [k, v] : request.headers) {
    if (http::iequals(k, kPrincipalHeader) || http::iequals(k, "Authorization") ||
        http::iequals(k, "Cookie") || http::iequals(k, "Mcp-Session-Id"))
      continue;
    out.headers.emplace_back(k, v);
  }
  out.headers.emplace_back("Mcp-Session-Id", session_id);
  out.headers.emplace_back(kPrincipalHeader, dump_json(principal_to_json(principal)));
  return out;
}

// The JSON-RPC id of a request body, or null: for errors answered before the body is read
// as a message (an error carries the request's id whenever it can be known).
Json request_id_of(const std::string& body) {
  auto parsed = parse_json(body);
  if (!parsed || !parsed->is_object()) return nullptr;
  const Json* id = find_member(*parsed, "id");
  return id && (id->is_string() || id->is_number_integer()) ? *id : Json();
}

// The request names the 2026-07-28 protocol in its MCP-Protocol-Version header (a client
// on a session never sends it on initialize).
bool says_stateless(const http::Request& request) {
  auto version = request.header("MCP-Protocol-Version");
  return version && http::trim_ows(*version) == kStatelessVersion;
}

bool valid_session_id(std::string_view id) {
  // basic/transports#session-management: visible ASCII only; ours are 32 hex digits.
  if (id.size() != 32) return false;
  for (char c : id)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

bool origin_allowed(std::string_view origin, const http::Request& request,
                    const GatewayOptions& options) {
  if (is_loopback_origin(origin)) return true;
  if (!options.public_origin.empty() && origin == options.public_origin) return true;
  for (const auto& o : options.allowed_origins)
    if (origin == o) return true;
  return request.parsed_url.scheme == "https" && origin == request.parsed_url.origin();
}

Task<Json> serve_mcp_gateway(Io& io, const http::Request& request, const Principal& principal,
                             const GatewayOptions& options, const CatalogFor& catalog_for) {
  if (auto origin = request.header("Origin"); origin && !origin_allowed(*origin, request, options))
    co_return http::respond(
        rpc_error_response(403, rpc_error::kConnectionClosed, "Forbidden: origin not allowed"));

  // Legacy HTTP+SSE at /sse, and at /mcp/sse as well (where older clients of this server
  // look for it; tokens for /mcp work there, it is the same resource).
  const std::string& path = request.parsed_url.path;
  const bool legacy_open = path == "/sse" || path == "/mcp/sse";
  const bool legacy_path = legacy_open || path == "/sse/message" || path == "/mcp/sse/message";
  if (legacy_path) {
    if (legacy_open) {
      if (request.method != "GET")
        co_return http::respond(
            http::Response::text(405, "Method Not Allowed").set("Allow", "GET"));
      std::string id = crypto::hex_encode(io.crypto().random_bytes(16));
      co_return http::forward_to_object(options.session_binding, id,
                                        forwarded(request, principal, id));
    }
    if (request.method != "POST")
      co_return http::respond(http::Response::text(405, "Method Not Allowed").set("Allow", "POST"));
    std::string id;
    for (std::size_t pos = 0; pos < request.parsed_url.query.size();) {
      auto amp = request.parsed_url.query.find('&', pos);
      std::string_view pair =
          std::string_view(request.parsed_url.query)
              .substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
      if (pair.rfind("sessionId=", 0) == 0) id = std::string(pair.substr(10));
      if (amp == std::string::npos) break;
      pos = amp + 1;
    }
    if (!valid_session_id(id))
      co_return http::respond(http::Response::text(404, "Session not found"));
    co_return http::forward_to_object(options.session_binding, id,
                                      forwarded(request, principal, id));
  }

  if (request.method != "POST" && request.method != "GET" && request.method != "DELETE") {
    http::Response r = rpc_error_response(405, rpc_error::kConnectionClosed, "Method not allowed");
    r.set("Allow", "GET, POST, DELETE");
    co_return http::respond(r);
  }

  if (auto version = request.header("MCP-Protocol-Version");
      version && !is_known_version(http::trim_ows(*version))) {
    // 400 in both eras; on 2026-07-28 the error is UnsupportedProtocolVersionError with the
    // versions supported and the one asked for, and echoes the request's id (SEP-2575).
    Json data = {{"supported", supported_protocol_versions()},
                 {"requested", http::trim_ows(*version)}};
    co_return http::respond(http::Response::json(
        400,
        make_error(
            request_id_of(request.body), rpc_error::kUnsupportedProtocolVersion,
            "Bad Request: Unsupported protocol version: " + http::trim_ows(*version) +
                " (supported versions: 2026-07-28, 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05)",
            std::move(data))));
  }

  auto session_header = request.header("Mcp-Session-Id");
  if (request.method == "GET") {
    if (!accepts(request, "text/event-stream"))
      co_return http::respond(
          rpc_error_response(406, rpc_error::kConnectionClosed,
                             "Not Acceptable: Client must accept text/event-stream"));
  }
  if (request.method != "POST") {
    if (!session_header)
      co_return http::respond(rpc_error_response(400, rpc_error::kConnectionClosed,
                                                 "Bad Request: Mcp-Session-Id header is required"));
    if (!valid_session_id(*session_header))
      co_return http::respond(
          rpc_error_response(404, rpc_error::kSessionNotFound, "Session not found"));
    std::string id(*session_header);
    if (request.method == "DELETE" && options.session_cache)
      options.session_cache->hold(id, io.now_ms());
    co_return http::forward_to_object(options.session_binding, id,
                                      forwarded(request, principal, id));
  }

  // POST: basic/transports#sending-messages-to-the-server
  if (!accepts(request, "application/json") || !accepts(request, "text/event-stream"))
    co_return http::respond(rpc_error_response(
        406, rpc_error::kConnectionClosed,
        "Not Acceptable: Client must accept both application/json and text/event-stream"));
  auto content_type = request.header("Content-Type");
  if (!content_type || std::string(*content_type).find("application/json") == std::string::npos)
    co_return http::respond(
        rpc_error_response(415, rpc_error::kConnectionClosed,
                           "Unsupported Media Type: Content-Type must be application/json"));
  // JSON-RPC 2.0 §5.1: -32700 for a body that is not JSON, and for one nested deeper than
  // this server reads (refused while parsing, base/json_parse.hpp).
  JsonParse parsed = parse_json_checked(request.body);
  if (!parsed.value)
    co_return http::respond(rpc_error_response(
        400, rpc_error::kParseError, "Parse error: " + json_failure_text(parsed.failure)));
  const std::optional<Json>& body = parsed.value;

  if (session_header) {
    if (!valid_session_id(*session_header))
      co_return http::respond(
          rpc_error_response(404, rpc_error::kSessionNotFound, "Session not found"));
    std::string id(*session_header);
    if (options.session_cache && body->is_object()) {
      Classified classified = classify(*body);
      if (const RpcMessage* message = std::get_if<RpcMessage>(&classified)) {
        const Catalog& catalog = catalog_for(principal);
        if (runs_in_isolate(*message, catalog)) {
          std::optional<Json> answered =
              co_await serve_in_isolate(io, *message, id, principal, catalog,
                                        *options.session_cache, options.session_binding);
          if (answered) co_return std::move(*answered);
        } else if (changes_session_record(*message)) {
          options.session_cache->hold(id, io.now_ms());
        }
      }
    } else if (options.session_cache && body->is_array()) {
      for (const Json& element : *body) {
        Classified classified = classify(element);
        if (const RpcMessage* message = std::get_if<RpcMessage>(&classified);
            message && changes_session_record(*message))
          options.session_cache->hold(id, io.now_ms());
      }
    }
    co_return http::forward_to_object(options.session_binding, id,
                                      forwarded(request, principal, id));
  }

  // A request that says it is 2026-07-28 (its header or its _meta) is served statelessly,
  // and `initialize` does not exist there (basic/versioning, dual-era servers).
  if (is_stateless_request(*body) || says_stateless(request))
    co_return co_await serve_stateless(io, request, *body, principal, catalog_for,
                                       options.request_state_key, options.listen_binding);
  if (body->is_object() && get_string(*body, "method").value_or("") == "initialize") {
    std::string id = crypto::hex_encode(io.crypto().random_bytes(16));
    co_return http::forward_to_object(options.session_binding, id,
                                      forwarded(request, principal, id));
  }
  co_return http::respond(rpc_error_response(400, rpc_error::kConnectionClosed,
                                             "Bad Request: Mcp-Session-Id header is required"));
}

}  // namespace bmcp::mcp
