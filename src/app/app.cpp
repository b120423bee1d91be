#include "app/app.hpp"

#include "analysis_runs/analysis_events.hpp"
#include "analysis_runs/analysis_workflow.hpp"
#include "brokers/broker.hpp"
#include "http/call_result.hpp"
#include "hub/announce.hpp"
#include "hub/user_hub.hpp"
#include "hub/ws_tickets.hpp"
#include "mcp/gateway.hpp"
#include "mcp/json_schema.hpp"
#include "oauth/authorize_endpoint.hpp"
#include "signin/personal_grant.hpp"
#include "oauth/bearer_check.hpp"
#include "oauth/client_registration.hpp"
#include "oauth/form_encoding.hpp"
#include "oauth/metadata.hpp"
#include "oauth/responses.hpp"
#include "oauth/revocation_endpoint.hpp"
#include "oauth/token_endpoint.hpp"
#include "signin/broker_callback.hpp"
#include "signin/broker_login.hpp"

namespace bmcp::app {
namespace {

bool is_mcp_path(std::string_view path) {
  return path == "/mcp" || path == "/sse" || path == "/sse/message" || path == "/mcp/sse" ||
         path == "/mcp/sse/message";
}

// Endpoints a browser-based MCP client (e.g. MCP Inspector) calls with fetch().
bool is_cross_origin_auth_path(std::string_view path) {
  return oauth::is_metadata_path(path) || path == "/register" || path == "/token" ||
         path == "/revoke";
}

// CORS for browser-based MCP clients (Fetch standard §3.2, "CORS protocol"): they read MCP answers
// from another origin.
http::Response with_cors(http::Response r) {
  r.set("Access-Control-Allow-Origin", "*");
  r.set("Access-Control-Expose-Headers", "Mcp-Session-Id, WWW-Authenticate, MCP-Protocol-Version");
  return r;
}

http::Response preflight(std::string methods, std::string headers) {
  http::Response r = with_cors(http::Response::empty(204));
  r.set("Access-Control-Allow-Methods", std::move(methods));
  r.set("Access-Control-Allow-Headers", std::move(headers));
  r.set("Access-Control-Max-Age", "86400");
  return r;
}

}  // namespace

namespace {

// A tool whose inputSchema uses a keyword the validator does not check would promise a
// check that never happens (mcp/json_schema.hpp): such a build does not start.
std::vector<std::string> unchecked_tool_schemas(const CatalogSet& set) {
  std::vector<std::string> problems;
  for (const mcp::Catalog* catalog : {&set.signed_out, &set.schwab, &set.tastytrade})
    for (const mcp::ToolDefinition& tool : catalog->tools)
      for (const std::string& where : mcp::unchecked_schema_keywords(tool.input_schema))
        problems.push_back("tool " + tool.name + ": its inputSchema uses " + where +
                           ", which this server does not check");
  return problems;
}

}  // namespace

std::variant<std::unique_ptr<App>, std::vector<std::string>> App::create(
    const Json& env, const CatalogBuilder& build_catalogs, BuildFlavor flavor,
    const logging::LogSink* log_sink) {
  auto parsed = parse_config(env, flavor);
  if (auto* errors = std::get_if<std::vector<std::string>>(&parsed)) return *errors;
  Config config = std::get<Config>(std::move(parsed));
  Services services = make_services(config, log_sink);
  std::unique_ptr<App> app(new App(std::move(config), std::move(services)));
  app->catalogs_ = build_catalogs(app->config_, app->services_);
  if (std::vector<std::string> unchecked = unchecked_tool_schemas(app->catalogs_);
      !unchecked.empty())
    return unchecked;
  return app;
}

Task<Json> App::handle(Io& io, Json event, std::optional<http::Request> request) const {
  std::string type = get_string(event, "type").value_or("");
  // Events without an HTTP request (bindings/ABI.md "Events").
  if (type == "workflow.step") {
    if (!catalogs_.analysis)
      co_return http::respond(
          http::Response::json(404, {{"error", "no workflow steps in this build"}}));
    co_return co_await catalogs_.analysis->serve_workflow_step(io, event);
  }
  if (type == "queue.message") {
    const Json* found = find_member(event, "message");
    Json body = found ? *found : Json::object();
    const bool finished = co_await analysis_runs::analysis_events::consume(io, std::move(body));
    co_return http::respond(http::Response::json(finished ? 200 : 503, {{"ack", finished}}));
  }
  if (type == "websocket.message") {
    const Json* attachment = find_member(event, "attachment");
    co_return hub::on_subscriber_message(get_string(event, "data").value_or(""),
                                         attachment ? *attachment : Json::object());
  }
  if (!request) {
    const Json* req = find_member(event, "request");
    if (req) request = http::request_from_json(*req);
  }
  if (!request)
    co_return http::respond(http::Response::text(400, "Bad Request: malformed request"));
  if (type == "fetch") co_return co_await handle_fetch(io, std::move(*request));
  if (type == "object.fetch") {
    // A named value: a temporary inside a co_await expression is destroyed twice by GCC 12.
    const Json* found = find_member(event, "object");
    Json object = found ? *found : Json::object();
    co_return co_await handle_object_fetch(io, object, std::move(*request));
  }
  co_return http::respond(http::Response::text(500, "unknown event type: " + type));
}

oauth::BearerMemory App::bearer_memory() const {
  return {services_.grant_cache.get(), services_.verified_tokens.get()};
}

void App::forget_remembered_signins() const {
  if (services_.broker_access) services_.broker_access->forget_remembered();
  if (services_.account_maps) services_.account_maps->clear();
}

Task<Json> App::handle_fetch(Io& io, http::Request request) const {
  const std::string& path = request.parsed_url.path;
  if (path == "/health") co_return http::respond(http::Response::text(200, "ok"));
  if (config_.bench_routes && path == "/bench/static")
    co_return http::respond(http::Response::json(
        200, {{"jsonrpc", "2.0"}, {"id", 1}, {"result", {{"tools", Json::array()}}}}));

  if (is_mcp_path(path)) co_return co_await handle_mcp(io, request);

  if (config_.auth_required) {
    const oauth::ServerSettings& auth = config_.auth;
    if (is_cross_origin_auth_path(path)) {
      if (request.method == "OPTIONS")
        co_return http::respond(
            preflight("GET, POST, OPTIONS", "Content-Type, Authorization, MCP-Protocol-Version"));
      http::Response r;
      if (oauth::is_metadata_path(path)) r = oauth::serve_metadata(auth, request);
      else if (path == "/register") r = co_await oauth::register_client(io, auth, request);
      else if (path == "/token")
        r = co_await oauth::token_endpoint(io, auth, request, services_.grant_cache.get());
      else r = co_await oauth::revocation_endpoint(io, auth, request, services_.grant_cache.get());
      co_return http::respond(with_cors(std::move(r)));
    }
    if (path == "/authorize") co_return co_await handle_authorize(io, request);
    if (path == "/ws" || path == "/ws/ticket") co_return co_await handle_hub(io, request);
    if (path == "/callback" || path == "/oauth/callback") {
      http::Response r =
          co_await signin::broker_callback(io, auth, config_.signin, request, services_.log);
      // New broker tokens may be stored now: tokens this isolate remembered are not used.
      forget_remembered_signins();
      co_return http::respond(r);
    }
    if (path == signin::kPersonalGrantPath) {
      http::Response r =
          co_await signin::personal_grant_submit(io, auth, config_.signin, request, services_.log);
      forget_remembered_signins();
      co_return http::respond(r);
    }
  }
  co_return http::respond(http::Response::json(404, {{"error", "not_found"}, {"path", path}}));
}

Task<Json> App::handle_authorize(Io& io, const http::Request& request) const {
  const oauth::ServerSettings& auth = config_.auth;
  oauth::AuthorizeOutcome outcome;
  if (request.method == "POST") outcome = co_await oauth::authorize_post(io, auth, request);
  else outcome = co_await oauth::authorize_get(io, auth, request);
  if (outcome.response) co_return http::respond(*outcome.response);
  const signin::BrokerSettings* broker = config_.signin.enabled_broker(outcome.broker);
  if (!broker)
    co_return http::respond(
        oauth::error_page(400, "Choose a broker", "That broker is not offered by this server."));
  if (brokers::broker_named(broker->name) == brokers::Broker::Tastytrade &&
      config_.signin.tastytrade_personal_grant)
    co_return http::respond(signin::personal_grant_page(io.crypto(), auth, *broker, outcome.request,
                                                        io.now_ms() / 1000, outcome.set_cookies));
  oauth::ServerIdentity identity = oauth::server_identity(auth, request);
  co_return http::respond(signin::redirect_to_broker(io.crypto(), auth, identity, *broker,
                                                     outcome.request, io.now_ms() / 1000,
                                                     outcome.set_cookies));
}

Task<Json> App::handle_mcp(Io& io, const http::Request& request) const {
  if (request.method == "OPTIONS") {
    http::Response r =
        preflight("GET, POST, DELETE, OPTIONS",
                  "Content-Type, Accept, Authorization, Mcp-Session-Id, MCP-Protocol-Version, "
                  "Mcp-Method, Mcp-Name, Last-Event-ID");
    co_return http::respond(r);
  }
  mcp::GatewayOptions options;
  options.allowed_origins = config_.allowed_origins;
  if (auto u = http::parse_url(config_.public_url)) options.public_origin = u->origin();
  // The same 32-byte key as the approval cookie and the OAuth state, under its own AAD
  // (always set when sign-in is on; the conformance fixture sets one in its wrangler.toml).
  options.request_state_key = config_.auth.cookie_key;
  options.session_cache = services_.session_cache.get();
  options.listen_binding = hub::kUserHubBinding;
  const CatalogSet& catalogs = catalogs_;
  mcp::CatalogFor catalog_for = [&catalogs](const mcp::Principal& p) -> const mcp::Catalog& {
    return catalogs.for_principal(p);
  };
  mcp::Principal principal;
  // A browser origin that may not call us is refused (403) before anything else; the
  // gateway answers that without looking at the principal.
  auto origin = request.header("Origin");
  const bool origin_ok = !origin || mcp::origin_allowed(*origin, request, options);
  if (config_.auth_required && origin_ok) {
    oauth::BearerCheck check =
        co_await oauth::authenticate_bearer(io, config_.auth, request, bearer_memory());
    if (check.rejection) co_return http::respond(with_cors(std::move(*check.rejection)));
    principal = std::move(check.principal);
  }
  co_return co_await mcp::serve_mcp_gateway(io, request, principal, options, catalog_for);
}

// The person's WebSocket hub. POST /ws/ticket (bearer) → a single-use 60-second ticket;
// GET /ws (Upgrade: websocket) with a bearer token or ?ticket= → the UserHub Durable
// Object named by the person's user id, so a socket only ever hears that person's events.
Task<Json> App::handle_hub(Io& io, const http::Request& request) const {
  const std::string& path = request.parsed_url.path;
  if (path == "/ws/ticket") {
    // A browser page on another origin asks for a ticket with fetch(): bearer-authenticated,
    // no cookies, so CORS may allow any origin (as for /token).
    if (request.method == "OPTIONS")
      co_return http::respond(preflight("POST, OPTIONS", "Authorization"));
    if (request.method != "POST")
      co_return http::respond(with_cors(
          http::Response::json(405, {{"error", "method_not_allowed"}}).set("Allow", "POST")));
    oauth::BearerCheck check =
        co_await oauth::authenticate_bearer(io, config_.auth, request, bearer_memory());
    if (check.rejection) co_return http::respond(with_cors(std::move(*check.rejection)));
    std::optional<std::string> ticket = co_await hub::issue_ticket(io, check.principal.user_id);
    if (!ticket)
      co_return http::respond(
          with_cors(http::Response::json(503, {{"error", "temporarily_unavailable"}})));
    http::Response r = http::Response::json(
        201, {{"ticket", *ticket}, {"expiresIn", hub::kTicketLifetimeMs / 1000}});
    r.set("Cache-Control", "no-store");
    co_return http::respond(with_cors(std::move(r)));
  }
  auto upgrade = request.header("Upgrade");
  if (request.method != "GET" || !upgrade || !http::iequals(*upgrade, "websocket"))
    co_return http::respond(
        http::Response::text(426, "Upgrade Required: /ws is a WebSocket endpoint")
            .set("Upgrade", "websocket"));
  std::string user_id;
  oauth::ParsedForm query = oauth::parse_query_string(request.parsed_url.query);
  if (const std::string* ticket = query.find("ticket")) {
    std::optional<std::string> owner = co_await hub::redeem_ticket(io, *ticket);
    if (!owner)
      co_return http::respond(http::Response::json(
          401, {{"error", "invalid_ticket"},
                {"error_description", "The ticket is unknown, used or expired."}}));
    user_id = *owner;
  } else {
    oauth::BearerCheck check =
        co_await oauth::authenticate_bearer(io, config_.auth, request, bearer_memory());
    if (check.rejection) co_return http::respond(std::move(*check.rejection));
    user_id = check.principal.user_id;
  }
  // The hub needs no credential: it only ever hears from this Worker.
  http::Request inner = request;
  std::erase_if(inner.headers,
                [](const auto& h) { return http::iequals(h.first, "Authorization"); });
  co_return http::forward_to_object(analysis_runs::analysis_events::kHubBinding, user_id, inner);
}

Task<Json> App::handle_object_fetch(Io& io, const Json& object, http::Request request) const {
  std::string cls = get_string(object, "class").value_or("");
  std::string name = get_string(object, "name").value_or("");
  if (cls == "McpSession") {
    const CatalogSet& catalogs = catalogs_;
    mcp::CatalogFor catalog_for = [&catalogs](const mcp::Principal& p) -> const mcp::Catalog& {
      return catalogs.for_principal(p);
    };
    // A session's resource subscriptions are recorded with the person's hub, which passes
    // the changes of those resources back to the session (hub/resource_listeners.hpp).
    mcp::SubscriptionsChanged changed = [](Io& io, std::string user, std::string session,
                                           Json uris) -> Task<void> {
      co_await hub::announce_session_subscriptions(io, std::move(user), std::move(session),
                                                   std::move(uris));
    };
    co_return co_await mcp::serve_session_request(io, request, name, catalog_for, changed);
  }
  if (cls == "UserHub") co_return co_await hub::serve_hub_request(io, request);
  co_return http::respond(http::Response::text(500, "no handler for object class " + cls));
}

}  // namespace bmcp::app
