#include "mcp/stateless.hpp"

#include "http/call_result.hpp"
#include "mcp/protocol_version.hpp"

namespace bmcp::mcp {
namespace {

const Json* meta_of(const Json& body) {
  const Json* params = find_member(body, "params");
  return params ? find_member(*params, "_meta") : nullptr;
}

http::Response error_response(int status, const Json& id, int code, std::string message, Json data = nullptr) {
  return http::Response::json(status, make_error(id, code, std::move(message), std::move(data)));
}

Json supported_versions() {
  Json v = Json::array({std::string(kStatelessVersion)});
  for (auto s : kSessionVersions) v.push_back(std::string(s));
  return v;
}

}  // namespace

bool is_stateless_request(const Json& body) {
  const Json* meta = meta_of(body);
  return meta && find_member(*meta, kMetaProtocolVersion);
}

Task<Json> serve_stateless(Io& io, const http::Request& request, const Json& body,
                           const Principal& principal, const CatalogFor& catalog_for) {
  auto classified = classify(body);
  if (auto* err = std::get_if<Json>(&classified)) co_return http::respond(http::Response::json(400, *err));
  const RpcMessage& msg = std::get<RpcMessage>(classified);
  const Json& meta = *meta_of(body);
  std::string version = get_string(meta, kMetaProtocolVersion).value_or("");
  if (version != kStatelessVersion)
    co_return http::respond(error_response(400, msg.id, rpc_error::kUnsupportedProtocolVersion,
                                           "Unsupported protocol version: " + version,
                                           {{"supported", supported_versions()}, {"requested", version}}));
  // streamable-http (2026-07-28): headers must mirror the body, else HeaderMismatch.
  auto header_version = request.header("MCP-Protocol-Version");
  auto header_method = request.header("Mcp-Method");
  if (!header_version || *header_version != version || !header_method || *header_method != msg.method)
    co_return http::respond(error_response(400, msg.id, rpc_error::kHeaderMismatch,
                                           "Header mismatch: MCP-Protocol-Version and Mcp-Method must match the body"));
  if (msg.kind != RpcMessage::Kind::Request) co_return http::respond(http::Response::empty(202));

  McpServer server(catalog_for(principal));
  Json caps = Json::object();
  if (const Json* c = find_member(meta, kMetaClientCapabilities); c && c->is_object()) caps = *c;

  Json response;
  if (msg.method == "server/discover") {
    const Catalog& catalog = catalog_for(principal);
    Json result = {{"resultType", "complete"},
                   {"supportedVersions", supported_versions()},
                   {"capabilities", server.capabilities()},
                   {"serverInfo", {{"name", catalog.identity.name}, {"version", catalog.identity.version}}},
                   {"ttlMs", 300000},
                   {"cacheScope", "private"}};
    if (!catalog.identity.instructions.empty()) result["instructions"] = catalog.identity.instructions;
    response = make_result(msg.id, std::move(result));
  } else if (msg.method == "initialize" || msg.method == "ping" || msg.method == "logging/setLevel" ||
             msg.method == "resources/subscribe" || msg.method == "resources/unsubscribe") {
    // Removed in 2026-07-28 (changelog): unknown methods are 404 on this era.
    co_return http::respond(error_response(404, msg.id, rpc_error::kMethodNotFound, "Method not found: " + msg.method));
  } else {
    SessionState scratch;
    scratch.protocol_version = version;
    scratch.client_capabilities = caps;
    NoOutbound none;
    RequestContext context(io, principal, none, version, caps, nullptr, "");
    Json id = msg.id;
    context.set_final_answer([id](Json result) {
      result["resultType"] = "complete";
      return http::fallback(http::respond(http::Response::json(200, make_result(id, std::move(result)))));
    });
    response = co_await server.handle_request(msg, scratch, context);
    if (const Json* err = find_member(response, "error")) {
      if (get_int(*err, "code").value_or(0) == rpc_error::kMethodNotFound)
        co_return http::respond(http::Response::json(404, response));
      // 2026-07-28 moved "resource not found" to -32602 (SEP-2164).
      if (get_int(*err, "code").value_or(0) == rpc_error::kResourceNotFound)
        response["error"]["code"] = rpc_error::kInvalidParams;
    } else if (Json* result = &response["result"]; result->is_object()) {
      (*result)["resultType"] = "complete";
    }
  }
  co_return http::respond(http::Response::json(200, response));
}

}  // namespace bmcp::mcp
