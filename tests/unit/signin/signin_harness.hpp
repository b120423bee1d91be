// A test bench for sign-in: the App configured with secrets and both brokers, on the fake
// platform (FakeHost: SQLite D1, controllable clock), with a scripted broker behind
// http.fetch (both Schwab's and tastytrade's OAuth and identity endpoints) and a browser-like
// cookie jar. Helpers walk the real redirects: /authorize → consent page → approve → broker
// login → our callback → the MCP client's redirect URI.
#pragma once

#include <catch2/catch.hpp>

#include "app/app.hpp"
#include "app/module_settings.hpp"
#include "crypto/base64.hpp"
#include "mcp/catalog.hpp"
#include "oauth/form_encoding.hpp"
#include "oauth/pkce.hpp"
#include "support/fake_host.hpp"
#include "support/fixture_catalogs.hpp"
#include "brokers/signin_expiry.hpp"
#include "tools/status_tool.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bmcp::testing {

inline constexpr const char* kOrigin = "http://127.0.0.1:8787";
inline constexpr const char* kClientRedirect = "http://127.0.0.1:9/cb";

struct Reply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (http::iequals(k, name)) return v;
    return "";
  }
  std::vector<std::string> set_cookies() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : headers)
      if (http::iequals(k, "Set-Cookie")) out.push_back(v);
    return out;
  }
  Json json() const { return parse_json(body).value_or(Json()); }
};

// The query parameters of a URL, decoded.
inline std::map<std::string, std::string> query_of(const std::string& url) {
  std::map<std::string, std::string> out;
  auto parsed = oauth::parse_query_string(oauth::url_query(url));
  for (const auto& p : parsed.parameters) out.emplace(p.name, p.value);
  return out;
}

// Whether the page's checkbox named `name` starts ticked (a browser then submits it).
inline bool checkbox_checked(const std::string& html, const std::string& name) {
  auto pos = html.find("type=\"checkbox\" name=\"" + name + "\"");
  if (pos == std::string::npos) return false;
  auto end = html.find('>', pos);
  return html.substr(pos, end - pos).find(" checked") != std::string::npos;
}

// The value of a hidden form field in a page.
inline std::string form_field(const std::string& html, const std::string& name) {
  std::string marker = "name=\"" + name + "\" value=\"";
  auto pos = html.find(marker);
  if (pos == std::string::npos) return "";
  pos += marker.size();
  return html.substr(pos, html.find('"', pos) - pos);
}

// Scripted Schwab and tastytrade OAuth/identity endpoints.
struct FakeBroker {
  struct Code {
    std::string broker, user, redirect_uri, challenge;
    bool used = false;
  };
  std::map<std::string, Code> codes;
  std::map<std::string, std::pair<std::string, std::string>> access;   // token → (broker, user)
  std::map<std::string, std::pair<std::string, std::string>> refresh;  // token → (broker, user)
  int counter = 0;
  int code_exchanges = 0;
  int refreshes = 0;
  std::int64_t access_ttl = 1800;
  bool refuse_refresh = false;
  int fail_refresh_with = 0;         // an HTTP status to answer refreshes with (e.g. 503)
  bool rotate_refresh = false;       // each refresh answers a new refresh token; the old one dies
  std::string newest_refresh;        // the refresh token issued last
  std::function<void()> on_refresh;  // runs while a refresh is at the broker (before it answers)
  std::vector<std::string> token_user_agents;
  OpenSslCrypto crypto;

  // "Signs in" `user` at the broker for an authorize URL we redirected to; returns the
  // callback URL the broker would send the browser to.
  std::string login(const std::string& authorize_url, const std::string& user,
                    const std::string& broker) {
    auto q = query_of(authorize_url);
    std::string code = (broker == "schwab" ? "C0.code-" : "tt-code-") + std::to_string(++counter) +
                       (broker == "schwab" ? "@" : "");
    codes[code] = Code{broker, user, q["redirect_uri"], q["code_challenge"], false};
    std::vector<oauth::FormParameter> params = {{"code", code}};
    if (q.count("state")) params.push_back({"state", q["state"]});
    return q["redirect_uri"] + "?" + oauth::form_urlencode(params);
  }

  // A tastytrade personal grant of `user` for this deployment's OAuth application: the
  // refresh token its profile page shows once.
  std::string personal_grant(const std::string& user) {
    std::string r = "tt.personal." + std::to_string(++counter);
    refresh[r] = {"tastytrade", user};
    return r;
  }

  // A code issued without our involvement (a sign-in that started at the broker).
  std::string direct_code(const std::string& user, const std::string& redirect_uri) {
    std::string code = "tt-direct-" + std::to_string(++counter);
    codes[code] = Code{"tastytrade", user, redirect_uri, "", false};
    return code;
  }

  Json issue(const std::string& broker, const std::string& user, bool with_refresh) {
    std::string a = (broker == "schwab" ? "I0.access-" : "tt-access-") + std::to_string(++counter);
    access[a] = {broker, user};
    Json body = {{"access_token", a}, {"token_type", "Bearer"}, {"expires_in", access_ttl}};
    if (with_refresh) {
      std::string r = (broker == "schwab" ? "rt-" : "tt.refresh.") + std::to_string(++counter);
      refresh[r] = {broker, user};
      newest_refresh = r;
      body["refresh_token"] = r;
    }
    return body;
  }

  static Json reply(int status, const Json& body) {
    return {{"status", status}, {"headers", Json::array()}, {"body", dump_json(body)}};
  }

  Json handle(const Json& req) {
    std::string url = req.value("url", "");
    std::string method = req.value("method", "");
    std::string body = req.value("body", "");
    std::map<std::string, std::string> headers;
    for (const auto& h : req["headers"]) {
      std::string k = h[0];
      for (auto& c : k) c = static_cast<char>(std::tolower(c));
      headers[k] = h[1];
    }
    const bool schwab = url.rfind("https://schwab.test/", 0) == 0;
    if (method == "POST" &&
        (url == "https://schwab.test/v1/oauth/token" || url == "https://tt.test/oauth/token")) {
      std::map<std::string, std::string> form;
      if (schwab) {
        if (headers["authorization"] !=
            "Basic " + crypto::base64_encode("schwab-client:schwab-secret"))
          return reply(401, {{"error", "invalid_client"}});
        for (const auto& p : oauth::parse_form_urlencoded(body).parameters) form[p.name] = p.value;
      } else {
        token_user_agents.push_back(headers["user-agent"]);
        auto j = parse_json(body).value_or(Json::object());
        for (auto& [k, v] : j.items())
          if (v.is_string()) form[k] = v.get<std::string>();
        if (form["client_secret"] != "tt-secret" || form["client_id"] != "tt-client")
          return reply(401, {{"error_code", "invalid_client"}});
      }
      std::string broker = schwab ? "schwab" : "tastytrade";
      if (form["grant_type"] == "authorization_code") {
        ++code_exchanges;
        auto it = codes.find(form["code"]);
        if (it == codes.end() || it->second.used || it->second.broker != broker)
          return reply(400, {{"error", "invalid_grant"}});
        it->second.used = true;
        if (it->second.redirect_uri != form["redirect_uri"])
          return reply(400, {{"error", "invalid_grant"}});
        if (!it->second.challenge.empty() &&
            !oauth::verify_s256_code_challenge(crypto, form["code_verifier"], it->second.challenge))
          return reply(400, {{"error", "invalid_grant"}, {"error_description", "PKCE"}});
        return reply(200, issue(broker, it->second.user, true));
      }
      if (form["grant_type"] == "refresh_token") {
        ++refreshes;
        if (fail_refresh_with) return reply(fail_refresh_with, {{"error", "server_error"}});
        auto it = refresh.find(form["refresh_token"]);
        if (refuse_refresh || it == refresh.end()) {
          if (schwab)
            return reply(400, {{"error", "unsupported_token_type"},
                               {"error_description",
                                "400 Bad Request: refresh_token_authentication_error"}});
          return reply(400, {{"error_code", "invalid_grant"},
                             {"error_description", "Grant has been revoked"}});
        }
        std::string user = it->second.second;
        if (rotate_refresh) refresh.erase(it);
        if (on_refresh) on_refresh();
        return reply(200, issue(broker, user, rotate_refresh));
      }
      return reply(400, {{"error", "unsupported_grant_type"}});
    }
    std::string bearer =
        headers["authorization"].rfind("Bearer ", 0) == 0 ? headers["authorization"].substr(7) : "";
    auto who = access.find(bearer);
    if (method == "GET" && url == "https://schwab.test/trader/v1/userPreference") {
      if (who == access.end()) return reply(401, {{"message", "unauthorized"}});
      return reply(200, {{"streamerInfo",
                          Json::array({{{"schwabClientCustomerId", "CUST-" + who->second.second},
                                        {"schwabClientCorrelId", std::to_string(++counter)}}})}});
    }
    if (method == "GET" && url == "https://tt.test/customers/me") {
      if (who == access.end()) return reply(401, {{"error", {{"code", "unauthorized"}}}});
      return reply(200, {{"data",
                          {{"external-id", "U-" + who->second.second},
                           {"email", who->second.second + "@example.com"}}}});
    }
    return reply(404, {{"error", "not_found"}});
  }
};

inline Json signin_env() {
  return {
      {"JWT_SECRET", "test-signing-secret-0123456789-abcdefghijklmnop"},
      {"COOKIE_ENCRYPTION_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"},
      {"TOKEN_ENCRYPTION_KEY", "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100"},
      {"SCHWAB_CLIENT_ID", "schwab-client"},
      {"SCHWAB_CLIENT_SECRET", "schwab-secret"},
      {"TASTYTRADE_CLIENT_ID", "tt-client"},
      {"TASTYTRADE_CLIENT_SECRET", "tt-secret"},
      {"SCHWAB_API_BASE", "https://schwab.test"},
      {"SCHWAB_AUTH_BASE", "https://schwab.test"},
      {"TASTYTRADE_API_BASE", "https://tt.test"},
      {"TASTYTRADE_AUTH_URL", "https://tt.test/auth.html"}};
}

// A tool that asks BrokerAccess for a token: what a broker tool does first.
inline Task<mcp::ToolResult> broker_token_tool(const brokers::BrokerAccess& access,
                                               mcp::RequestContext& ctx) {
  const mcp::Principal& p = ctx.principal();
  std::string user = p.user_id;
  std::string broker = p.broker;
  brokers::AccessToken t = co_await access.access_token(ctx.io(), user, broker);
  if (t.status != brokers::AccessToken::Status::Ok) co_return mcp::ToolResult::error(t.message);
  // As the broker tools' UpstreamClient does with the token's sign-in end.
  if (t.signin_expires_at_ms)
    ctx.add_notice(brokers::signin_expiry_notice(broker == "schwab" ? "Schwab" : "tastytrade",
                                                 *t.signin_expires_at_ms, ctx.io().now_ms()));
  co_return mcp::ToolResult::text(t.token);
}

inline app::CatalogSet signin_catalogs(const app::Config& config, const app::Services& services) {
  mcp::Catalog c;
  c.tools.push_back(
      tools::make_status_tool(app::status_settings(config), services.broker_access.get()));
  mcp::ToolDefinition whoami;
  whoami.name = "whoami";
  whoami.description = "the principal";
  whoami.handler = [](mcp::RequestContext& ctx, const Json&) -> Task<mcp::ToolResult> {
    const auto& p = ctx.principal();
    co_return mcp::ToolResult::structured_json(
        {{"user", p.user_id}, {"email", p.email}, {"broker", p.broker}, {"scope", p.scope}});
  };
  c.tools.push_back(whoami);
  mcp::ToolDefinition token;
  token.name = "broker_token";
  token.description = "asks for a broker access token";
  const brokers::BrokerAccess* access = services.broker_access.get();
  token.handler = [access](mcp::RequestContext& ctx, const Json&) -> Task<mcp::ToolResult> {
    return broker_token_tool(*access, ctx);
  };
  c.tools.push_back(token);
  // Stands for a mutating broker tool: only a grant with brokerage:trade sees or calls it.
  mcp::ToolDefinition trade;
  trade.name = "trade";
  trade.description = "changes something at the broker";
  trade.required_scope = "brokerage:trade";
  trade.handler = [](mcp::RequestContext&, const Json&) -> Task<mcp::ToolResult> {
    co_return mcp::ToolResult::text("traded");
  };
  c.tools.push_back(trade);
  return testing::one_catalog_for_everyone(c);
}

// Every line the App logs, as written (already redacted).
class CapturedLog final : public logging::LogSink {
 public:
  void write(logging::LogLevel, std::string_view line) const override { lines.emplace_back(line); }
  std::string all() const {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
  mutable std::vector<std::string> lines;
};

struct SigninHarness {
  CapturedLog log;
  FakeHost host;
  std::unique_ptr<app::App> app;
  FakeBroker broker;
  std::map<std::string, std::string> cookies;  // the browser's jar (one site)

  // `catalogs`: the fixture's (status, whoami, …) or, for instance, the production ones.
  explicit SigninHarness(Json env = signin_env(),
                         const app::CatalogBuilder& catalogs = signin_catalogs) {
    auto created = app::App::create(env, catalogs, app::BuildFlavor::Production, &log);
    auto* errors = std::get_if<std::vector<std::string>>(&created);
    if (errors) FAIL("configuration refused: " << dump_json(*errors));
    app = std::move(std::get<std::unique_ptr<app::App>>(created));
    host.http = [this](const Json& req) { return broker.handle(req); };
  }

  // One Worker fetch, following a forward into the session object (as the shim does).
  Reply fetch(const std::string& method, const std::string& url,
              std::vector<std::pair<std::string, std::string>> headers = {},
              const std::string& body = "", bool use_cookies = false) {
    if (use_cookies && !cookies.empty()) {
      std::string jar;
      for (const auto& [k, v] : cookies) jar += (jar.empty() ? "" : "; ") + k + "=" + v;
      headers.emplace_back("Cookie", jar);
    }
    Json hs = Json::array();
    for (const auto& [k, v] : headers) hs.push_back(Json::array({k, v}));
    Json req = {{"method", method}, {"url", url}, {"headers", hs}, {"body", body}};
    const app::App* a = app.get();
    Json event = {{"type", "fetch"}, {"request", req}};
    auto id = host.start([a, event](Io& io) { return a->handle(io, event); });
    host.pump();
    REQUIRE(host.done(id));
    Json result = host.result(id);
    if (result.value("kind", "") == "forward") {
      Json object_event = {{"type", "object.fetch"},
                           {"object", {{"class", "McpSession"}, {"name", result["name"]}}},
                           {"request", result["request"]}};
      id = host.start([a, object_event](Io& io) { return a->handle(io, object_event); },
                      result["name"].get<std::string>());
      host.pump();
      REQUIRE(host.done(id));
      result = host.result(id);
    }
    Reply r;
    const auto& captured = host.response(id);
    if (captured.started) {
      r.status = captured.status;
      r.headers = captured.headers;
      r.body = captured.body;
    } else {
      r.status = result.value("status", 0);
      for (const auto& h : result.value("headers", Json::array()))
        r.headers.emplace_back(h[0], h[1]);
      r.body = result.value("body", "");
    }
    if (use_cookies) {
      for (const std::string& c : r.set_cookies()) {
        auto eq = c.find('=');
        auto semi = c.find(';');
        std::string name = c.substr(0, eq), value = c.substr(eq + 1, semi - eq - 1);
        bool expired = c.find("Max-Age=0") != std::string::npos;
        if (expired || value.empty()) cookies.erase(name);
        else cookies[name] = value;
      }
    }
    return r;
  }

  Reply post_form(const std::string& path, const std::vector<oauth::FormParameter>& form,
                  std::vector<std::pair<std::string, std::string>> headers = {},
                  bool use_cookies = false) {
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return fetch("POST", std::string(kOrigin) + path, headers, oauth::form_urlencode(form),
                 use_cookies);
  }

  Json register_client(Json metadata = Json()) {
    if (metadata.is_null())
      metadata = {{"client_name", "Test Client"},
                  {"redirect_uris", Json::array({kClientRedirect})},
                  {"grant_types", Json::array({"authorization_code", "refresh_token"})},
                  {"response_types", Json::array({"code"})},
                  {"token_endpoint_auth_method", "none"}};
    Reply r = fetch("POST", std::string(kOrigin) + "/register",
                    {{"Content-Type", "application/json"}}, dump_json(metadata));
    REQUIRE(r.status == 201);
    return r.json();
  }

  static std::string verifier(char fill = 'v') { return std::string(50, fill); }

  std::string authorize_url(const std::string& client_id, const std::string& verifier_text,
                            std::vector<oauth::FormParameter> extra = {}) {
    OpenSslCrypto c;
    std::vector<oauth::FormParameter> params = {
        {"response_type", "code"},
        {"client_id", client_id},
        {"redirect_uri", kClientRedirect},
        {"code_challenge", oauth::s256_code_challenge(c, verifier_text)},
        {"code_challenge_method", "S256"},
        {"state", "client-state-123"},
        {"resource", std::string(kOrigin) + "/mcp"}};
    for (auto& e : extra) {
      bool replaced = false;
      for (auto& p : params)
        if (p.name == e.name) {
          p.value = e.value;
          replaced = true;
        }
      if (!replaced) params.push_back(e);
    }
    std::vector<oauth::FormParameter> kept;
    for (auto& p : params)
      if (p.value != "<omit>") kept.push_back(p);
    return std::string(kOrigin) + "/authorize?" + oauth::form_urlencode(kept);
  }

  // GET /authorize → consent page → approve → broker login → callback; returns the final
  // redirect to the client (a URL with code or error). `allow_trading` sets the consent
  // page's checkbox; unset, it is submitted as the page ticked it (as a browser does).
  std::string sign_in(const std::string& client_id, const std::string& verifier_text,
                      const std::string& broker_name = "schwab", const std::string& user = "alice",
                      std::optional<bool> allow_trading = std::nullopt,
                      std::vector<oauth::FormParameter> extra = {}) {
    Reply back = broker_callback(client_id, verifier_text, broker_name, user, allow_trading,
                                 std::move(extra));
    REQUIRE(back.status == 302);
    return back.header("Location");
  }

  // The same steps, up to the broker sending the browser back: this server's answer.
  Reply broker_callback(const std::string& client_id, const std::string& verifier_text,
                        const std::string& broker_name = "schwab",
                        const std::string& user = "alice",
                        std::optional<bool> allow_trading = std::nullopt,
                        std::vector<oauth::FormParameter> extra = {}) {
    Reply page =
        fetch("GET", authorize_url(client_id, verifier_text, std::move(extra)), {}, "", true);
    std::string to_broker;
    if (page.status == 200) {
      std::vector<oauth::FormParameter> form = {{"ticket", form_field(page.body, "ticket")},
                                                {"csrf_token", form_field(page.body, "csrf_token")},
                                                {"broker", broker_name},
                                                {"action", "approve"}};
      if (allow_trading.value_or(checkbox_checked(page.body, "trade")))
        form.push_back({"trade", "yes"});
      Reply approved = post_form("/authorize", form, {}, true);
      REQUIRE(approved.status == 302);
      to_broker = approved.header("Location");
    } else {
      REQUIRE(page.status == 302);  // approval remembered
      to_broker = page.header("Location");
    }
    std::string callback = broker.login(to_broker, user, broker_name);
    return fetch("GET", callback, {}, "", true);
  }

  Json exchange(const std::string& client_id, const std::string& code,
                const std::string& verifier_text, int expected_status = 200) {
    Reply r = post_form("/token", {{"grant_type", "authorization_code"},
                                   {"code", code},
                                   {"redirect_uri", kClientRedirect},
                                   {"code_verifier", verifier_text},
                                   {"client_id", client_id},
                                   {"resource", std::string(kOrigin) + "/mcp"}});
    CHECK(r.status == expected_status);
    CHECK(r.header("Cache-Control") == "no-store");
    return r.json();
  }

  // Registration + sign-in + code exchange: the token response.
  Json connect(const std::string& broker_name = "schwab", const std::string& user = "alice",
               std::optional<bool> allow_trading = std::nullopt,
               std::vector<oauth::FormParameter> extra = {}) {
    Json client = register_client();
    std::string id = client["client_id"];
    std::string back = sign_in(id, verifier(), broker_name, user, allow_trading, std::move(extra));
    auto q = query_of(back);
    REQUIRE(q.count("code"));
    Json tokens = exchange(id, q["code"], verifier());
    tokens["client_id"] = id;
    return tokens;
  }

  Reply mcp(const std::string& access_token, const Json& message, const std::string& path = "/mcp",
            std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    headers.emplace_back("Accept", "application/json, text/event-stream");
    if (!access_token.empty()) headers.emplace_back("Authorization", "Bearer " + access_token);
    return fetch("POST", std::string(kOrigin) + path, headers, dump_json(message));
  }

  // A stateless (2026-07-28) tools/call, answered by the Worker itself.
  // tools/list as a stateless (2026-07-28) request: the names listed.
  std::vector<std::string> list_tools(const std::string& access_token) {
    Json msg = {{"jsonrpc", "2.0"},
                {"id", 8},
                {"method", "tools/list"},
                {"params",
                 {{"_meta",
                   {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                    {"io.modelcontextprotocol/clientCapabilities", Json::object()}}}}}};
    Reply r = mcp(access_token, msg, "/mcp",
                  {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/list"}});
    std::vector<std::string> names;
    const Json answer = r.json();
    for (const Json& t : answer["result"]["tools"]) names.push_back(t["name"]);
    return names;
  }

  Reply call_tool(const std::string& access_token, const std::string& tool) {
    Json msg = {{"jsonrpc", "2.0"},
                {"id", 7},
                {"method", "tools/call"},
                {"params",
                 {{"name", tool},
                  {"arguments", Json::object()},
                  {"_meta",
                   {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                    {"io.modelcontextprotocol/clientCapabilities", Json::object()}}}}}};
    return mcp(
        access_token, msg, "/mcp",
        {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/call"}, {"Mcp-Name", tool}});
  }

  // The structured result or error text of a call_tool reply.
  static Json tool_result(const Reply& r) { return r.json().value("result", Json()); }

  // Every row of the sign-in tables, to show that a refused request changed nothing.
  std::string snapshot() {
    std::string out;
    for (const char* t :
         {"users", "oauth_clients", "oauth_codes", "oauth_grants", "user_oauth_tokens"})
      out += std::string(t) +
             dump_json(host.sql(std::string("SELECT * FROM ") + t + " ORDER BY 1")) + "\n";
    return out;
  }
};

}  // namespace bmcp::testing
