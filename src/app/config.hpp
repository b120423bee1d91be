// The deployment's configuration (wrangler vars and secrets), parsed and validated once
// when an instance starts. Every problem is collected, so a misconfigured deployment
// answers with one clear list instead of failing deep inside a request.
#pragma once

#include "base/json.hpp"

#include <string>
#include <variant>
#include <vector>

namespace bmcp::app {

enum class TradingMode { Disabled, Confirm };

struct Config {
  std::string public_url;                    // PUBLIC_URL, optional: else the request origin
  std::vector<std::string> allowed_origins;  // ALLOWED_ORIGINS, comma-separated
  TradingMode trading_mode = TradingMode::Confirm;
  std::string log_level = "info";
  std::string server_version = "0.1.0";
  bool bench_routes = false;                 // BENCH_ROUTES=1 enables /bench/static
  Json raw = Json::object();                 // every var as given, for modules that add their own
};

// Errors are human-readable lines naming the variable and what is wrong with it.
std::variant<Config, std::vector<std::string>> parse_config(const Json& env);

}  // namespace bmcp::app
