// The deployment's configuration (wrangler vars and secrets), parsed and validated once
// when an instance starts. Every problem is collected, so a misconfigured deployment
// answers with one clear list instead of failing deep inside a request. Messages name the
// variable and never contain a secret's value.
//
// Sign-in needs JWT_SECRET, COOKIE_ENCRYPTION_KEY and TOKEN_ENCRYPTION_KEY, and at least one
// broker's client id and secret (SCHWAB_CLIENT_ID/SCHWAB_CLIENT_SECRET,
// TASTYTRADE_CLIENT_ID/TASTYTRADE_CLIENT_SECRET). A broker without credentials is simply not
// offered. AUTH_MODE=none (no sign-in at all) is honoured only by the conformance fixture
// build, never by the production build.
#pragma once

#include "base/json.hpp"
#include "oauth/server_settings.hpp"
#include "orders/trading_rules.hpp"
#include "signin/broker_settings.hpp"

#include <string>
#include <variant>
#include <vector>

namespace bmcp::app {

// TRADING_MODE: confirm (default), elicit, disabled; what each guarantees is in
// orders/trading_rules.hpp and the README.
enum class TradingMode { Disabled, Confirm, Elicit };

inline orders::TradingRules trading_rules(TradingMode mode) {
  return orders::TradingRules{mode != TradingMode::Disabled, mode == TradingMode::Elicit};
}

// The name TRADING_MODE takes for `mode` (status tool, logs).
inline const char* trading_mode_name(TradingMode mode) {
  return mode == TradingMode::Disabled ? "disabled"
         : mode == TradingMode::Elicit ? "elicit"
                                       : "confirm";
}

// Which wasm build is running: the deployable server, or the MCP conformance fixture (a
// test build that may run without sign-in).
enum class BuildFlavor { Production, ConformanceFixture };

struct Config {
  std::string public_url;                    // PUBLIC_URL, optional: else the request origin
  std::vector<std::string> allowed_origins;  // ALLOWED_ORIGINS, comma-separated
  TradingMode trading_mode = TradingMode::Confirm;
  std::string log_level = "info";
  std::string server_version = "0.1.0";
  bool bench_routes = false;  // BENCH_ROUTES=1 enables /bench/static
  Json raw = Json::object();  // every var as given, for modules that add their own

  bool auth_required = true;       // false only for AUTH_MODE=none in the fixture
  bool sandbox_brokerage = false;  // SANDBOX_BROKERAGE=1: brokers are the local sandbox
  oauth::ServerSettings auth;      // the authorization server (our OAuth)
  signin::SigninSettings signin;   // the broker leg (Schwab, tastytrade)
};

// Errors are human-readable lines naming the variable and what is wrong with it.
std::variant<Config, std::vector<std::string>> parse_config(
    const Json& env, BuildFlavor flavor = BuildFlavor::Production);

}  // namespace bmcp::app
