#include "app/app.hpp"

#include "http/call_result.hpp"
#include "mcp/gateway.hpp"

namespace bmcp::app {
namespace {

bool is_mcp_path(std::string_view path) {
  return path == "/mcp" || path == "/sse" || path == "/sse/message";
}

// CORS for browser-based MCP clients (reference/mcp.md §6.1).
http::Response with_cors(http::Response r) {
  r.set("Access-Control-Allow-Origin", "*");
  r.set("Access-Control-Expose-Headers", "Mcp-Session-Id, WWW-Authenticate, MCP-Protocol-Version");
  return r;
}

}  // namespace

std::variant<std::unique_ptr<App>, std::vector<std::string>> App::create(
    const Json& env, const CatalogBuilder& build_catalogs) {
  auto parsed = parse_config(env);
  if (auto* errors = std::get_if<std::vector<std::string>>(&parsed)) return *errors;
  Config config = std::get<Config>(std::move(parsed));
  std::unique_ptr<App> app(new App(std::move(config), make_services(config)));
  app->catalogs_ = build_catalogs(app->config_, app->services_);
  return app;
}

Task<Json> App::handle(Io& io, Json event) const {
  std::string type = get_string(event, "type").value_or("");
  const Json* req = find_member(event, "request");
  auto request = req ? http::request_from_json(*req) : std::nullopt;
  if (!request)
    co_return http::respond(http::Response::text(400, "Bad Request: malformed request"));
  if (type == "fetch") co_return co_await handle_fetch(io, std::move(*request));
  if (type == "object.fetch") {
    const Json* object = find_member(event, "object");
    co_return co_await handle_object_fetch(io, object ? *object : Json::object(), std::move(*request));
  }
  co_return http::respond(http::Response::text(500, "unknown event type: " + type));
}

Task<Json> App::handle_fetch(Io& io, http::Request request) const {
  const std::string& path = request.parsed_url.path;
  if (path == "/health") co_return http::respond(http::Response::text(200, "ok"));
  if (config_.bench_routes && path == "/bench/static")
    co_return http::respond(http::Response::json(
        200, {{"jsonrpc", "2.0"}, {"id", 1}, {"result", {{"tools", Json::array()}}}}));

  if (is_mcp_path(path)) {
    if (request.method == "OPTIONS") {
      http::Response r = with_cors(http::Response::empty(204));
      r.set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
      r.set("Access-Control-Allow-Headers",
            "Content-Type, Accept, Authorization, Mcp-Session-Id, MCP-Protocol-Version, "
            "Mcp-Method, Mcp-Name, Last-Event-ID");
      r.set("Access-Control-Max-Age", "86400");
      co_return http::respond(r);
    }
    mcp::Principal principal;  // authentication slots in here (sign-in)
    mcp::GatewayOptions options;
    options.allowed_origins = config_.allowed_origins;
    if (auto u = http::parse_url(config_.public_url)) options.public_origin = u->origin();
    const CatalogSet& catalogs = catalogs_;
    mcp::CatalogFor catalog_for = [&catalogs](const mcp::Principal& p) -> const mcp::Catalog& {
      return catalogs.for_principal(p);
    };
    co_return co_await mcp::serve_mcp_gateway(io, request, principal, options, catalog_for);
  }
  co_return http::respond(http::Response::json(404, {{"error", "not_found"}, {"path", path}}));
}

Task<Json> App::handle_object_fetch(Io& io, const Json& object, http::Request request) const {
  std::string cls = get_string(object, "class").value_or("");
  std::string name = get_string(object, "name").value_or("");
  if (cls == "McpSession") {
    const CatalogSet& catalogs = catalogs_;
    mcp::CatalogFor catalog_for = [&catalogs](const mcp::Principal& p) -> const mcp::Catalog& {
      return catalogs.for_principal(p);
    };
    co_return co_await mcp::serve_session_request(io, request, name, catalog_for);
  }
  co_return http::respond(http::Response::text(500, "no handler for object class " + cls));
}

}  // namespace bmcp::app
