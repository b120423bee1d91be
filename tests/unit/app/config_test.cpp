// Configuration for sign-in is checked when the Worker starts; every problem is listed at
// once, by variable name, and no message repeats a secret.
#include <catch2/catch.hpp>

#include "app/config.hpp"
#include "unit/signin/signin_harness.hpp"

using namespace bmcp;

namespace {

std::vector<std::string> errors_of(const Json& env,
                                   app::BuildFlavor flavor = app::BuildFlavor::Production) {
  auto parsed = app::parse_config(env, flavor);
  if (auto* e = std::get_if<std::vector<std::string>>(&parsed)) return *e;
  return {};
}

bool mentions(const std::vector<std::string>& errors, const std::string& what) {
  for (const auto& e : errors)
    if (e.find(what) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("sign-in configuration is validated at start", "[signin][config]") {
  SECTION("a complete configuration") {
    auto parsed = app::parse_config(testing::signin_env());
    REQUIRE(std::holds_alternative<app::Config>(parsed));
    const app::Config& c = std::get<app::Config>(parsed);
    CHECK(c.auth_required);
    CHECK(c.auth.brokers.size() == 2);
    CHECK(c.auth.cookie_key.size() == 32);
    CHECK(c.signin.token_key.size() == 32);
    CHECK(c.signin.schwab.token_url == "https://schwab.test/v1/oauth/token");
    CHECK(c.signin.tastytrade.authorize_url == "https://tt.test/auth.html");
  }
  SECTION("registration limit and direct sign-in: defaults, values, refusals") {
    const app::Config c = std::get<app::Config>(app::parse_config(testing::signin_env()));
    CHECK(c.auth.registrations_per_hour == 20);
    CHECK_FALSE(c.auth.direct_sign_in);
    Json env = testing::signin_env();
    env["REGISTRATIONS_PER_HOUR"] = "250";
    env["TASTYTRADE_DIRECT_SIGN_IN"] = "1";
    const app::Config set = std::get<app::Config>(app::parse_config(env));
    CHECK(set.auth.registrations_per_hour == 250);
    CHECK(set.auth.direct_sign_in);
    for (const char* bad : {"0", "-1", "ten", "1e3", "9999999"}) {
      env["REGISTRATIONS_PER_HOUR"] = bad;
      CHECK(mentions(errors_of(env), "REGISTRATIONS_PER_HOUR"));
    }
  }
  SECTION("every missing secret is listed in one error") {
    auto errors = errors_of(Json::object());
    CHECK(mentions(errors, "JWT_SECRET"));
    CHECK(mentions(errors, "COOKIE_ENCRYPTION_KEY"));
    CHECK(mentions(errors, "TOKEN_ENCRYPTION_KEY"));
    CHECK(mentions(errors, "no broker is configured"));
  }
  SECTION("malformed secrets are named, never echoed") {
    Json env = testing::signin_env();
    env["COOKIE_ENCRYPTION_KEY"] = "not-a-key-abcdef";
    env["JWT_SECRET"] = "short-secret-xyz";
    auto errors = errors_of(env);
    CHECK(mentions(errors, "COOKIE_ENCRYPTION_KEY"));
    CHECK(mentions(errors, "JWT_SECRET"));
    CHECK_FALSE(mentions(errors, "not-a-key-abcdef"));
    CHECK_FALSE(mentions(errors, "short-secret-xyz"));
  }
  SECTION("a broker needs both its id and secret; one broker is enough") {
    Json env = testing::signin_env();
    env.erase("TASTYTRADE_CLIENT_SECRET");
    CHECK(mentions(errors_of(env), "TASTYTRADE_CLIENT_SECRET"));
    env.erase("TASTYTRADE_CLIENT_ID");
    auto parsed = app::parse_config(env);
    REQUIRE(std::holds_alternative<app::Config>(parsed));
    const auto& brokers = std::get<app::Config>(parsed).auth.brokers;
    REQUIRE(brokers.size() == 1);
    CHECK(brokers[0].name == "schwab");  // tastytrade is not offered on the consent page
  }
  SECTION("broker URLs must be https, except the local sandbox") {
    Json env = testing::signin_env();
    env["SCHWAB_API_BASE"] = "http://api.example.com";
    CHECK(mentions(errors_of(env), "SCHWAB_API_BASE"));
    env["SCHWAB_API_BASE"] = "http://127.0.0.1:8788/schwab";
    CHECK(errors_of(env).empty());
    env["TASTYTRADE_AUTH_URL"] = "not a url";
    CHECK(mentions(errors_of(env), "TASTYTRADE_AUTH_URL"));
  }
  SECTION("AUTH_MODE=none only in the conformance fixture") {
    Json env = {{"AUTH_MODE", "none"}};
    CHECK(mentions(errors_of(env), "AUTH_MODE=none"));
    Json full = testing::signin_env();
    full["AUTH_MODE"] = "none";
    CHECK(mentions(errors_of(full), "AUTH_MODE=none"));
    auto fixture = app::parse_config(env, app::BuildFlavor::ConformanceFixture);
    REQUIRE(std::holds_alternative<app::Config>(fixture));
    CHECK_FALSE(std::get<app::Config>(fixture).auth_required);
    // The fixture without AUTH_MODE=none still needs sign-in configured.
    CHECK(mentions(errors_of(Json::object(), app::BuildFlavor::ConformanceFixture), "JWT_SECRET"));
    CHECK(mentions(errors_of({{"AUTH_MODE", "off"}}), "AUTH_MODE"));
  }
  SECTION("without sign-in the sign-in routes do not exist") {
    Json env = {{"AUTH_MODE", "none"}};
    auto created =
        app::App::create(env, testing::signin_catalogs, app::BuildFlavor::ConformanceFixture);
    REQUIRE(std::holds_alternative<std::unique_ptr<app::App>>(created));
    testing::FakeHost host;
    const app::App* a = std::get<std::unique_ptr<app::App>>(created).get();
    for (const char* path :
         {"/authorize", "/token", "/register", "/.well-known/oauth-authorization-server"}) {
      Json event = {{"type", "fetch"},
                    {"request",
                     {{"method", "GET"},
                      {"url", std::string(testing::kOrigin) + path},
                      {"headers", Json::array()},
                      {"body", ""}}}};
      Json result = host.run([a, event](Io& io) { return a->handle(io, event); });
      CHECK(result["status"] == 404);
    }
  }
}

TEST_CASE("TRADING_MODE is confirm, elicit or disabled", "[signin][config][orders]") {
  for (auto [value, mode] :
       {std::pair<const char*, app::TradingMode>{"", app::TradingMode::Confirm},
        {"confirm", app::TradingMode::Confirm},
        {"elicit", app::TradingMode::Elicit},
        {"disabled", app::TradingMode::Disabled}}) {
    Json env = testing::signin_env();
    env["TRADING_MODE"] = value;
    auto parsed = app::parse_config(env);
    REQUIRE(std::holds_alternative<app::Config>(parsed));
    const app::Config& c = std::get<app::Config>(parsed);
    CHECK(c.trading_mode == mode);
    CHECK(c.auth.trading_enabled == (mode != app::TradingMode::Disabled));
    orders::TradingRules rules = app::trading_rules(c.trading_mode);
    CHECK(rules.enabled == (mode != app::TradingMode::Disabled));
    CHECK(rules.elicitation_only == (mode == app::TradingMode::Elicit));
  }
  Json env = testing::signin_env();
  env["TRADING_MODE"] = "yolo";
  CHECK(mentions(errors_of(env), "TRADING_MODE must be \"confirm\", \"elicit\" or \"disabled\""));
}

TEST_CASE("a tool whose inputSchema holds a keyword the server does not check stops the start",
          "[app][config][schema]") {
  // The production catalogs start: every keyword of every tool schema is checked.
  auto production = app::App::create(testing::signin_env(), app::build_production_catalogs);
  REQUIRE(std::holds_alternative<std::unique_ptr<app::App>>(production));

  // A tool promising `pattern`, which the validator has no engine for, would accept any
  // string: such a build does not start, and says which tool and where.
  auto with_pattern = [](const app::Config& config, const app::Services& services) {
    app::CatalogSet set = testing::signin_catalogs(config, services);
    mcp::ToolDefinition t;
    t.name = "lookup";
    t.description = "looks up a symbol";
    t.input_schema = {{"type", "object"},
                      {"properties", {{"symbol", {{"type", "string"}, {"pattern", "^[A-Z]+$"}}}}}};
    t.handler = [](mcp::RequestContext&, const Json&) -> Task<mcp::ToolResult> {
      co_return mcp::ToolResult::text("never");
    };
    set.schwab.tools.push_back(t);
    return set;
  };
  auto refused = app::App::create(testing::signin_env(), with_pattern);
  REQUIRE(std::holds_alternative<std::vector<std::string>>(refused));
  CHECK(std::get<std::vector<std::string>>(refused) ==
        std::vector<std::string>{"tool lookup: its inputSchema uses /properties/symbol/pattern, "
                                 "which this server does not check"});
}
