#include "app/config.hpp"

#include "http/http_message.hpp"

namespace bmcp::app {

std::variant<Config, std::vector<std::string>> parse_config(const Json& env) {
  std::vector<std::string> errors;
  Config c;
  if (!env.is_object()) return std::vector<std::string>{"configuration is not an object"};
  c.raw = env;
  auto str = [&](const char* name) { return get_string(env, name).value_or(""); };

  c.public_url = str("PUBLIC_URL");
  while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
  if (!c.public_url.empty() && !http::parse_url(c.public_url))
    errors.push_back("PUBLIC_URL must be an absolute http(s) URL, e.g. https://broker-mcp.example.workers.dev");

  std::string origins = str("ALLOWED_ORIGINS");
  for (std::size_t pos = 0; pos < origins.size();) {
    auto comma = origins.find(',', pos);
    std::string o = origins.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    while (!o.empty() && o.front() == ' ') o.erase(0, 1);
    while (!o.empty() && o.back() == ' ') o.pop_back();
    if (!o.empty()) {
      if (!http::parse_url(o)) errors.push_back("ALLOWED_ORIGINS: \"" + o + "\" is not an origin like https://claude.ai");
      c.allowed_origins.push_back(o);
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }

  std::string mode = str("TRADING_MODE");
  if (mode.empty() || mode == "confirm") c.trading_mode = TradingMode::Confirm;
  else if (mode == "disabled") c.trading_mode = TradingMode::Disabled;
  else errors.push_back("TRADING_MODE must be \"confirm\" or \"disabled\", not \"" + mode + "\"");

  std::string level = str("LOG_LEVEL");
  if (!level.empty()) {
    static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "fatal"};
    bool ok = false;
    for (const char* l : kLevels) ok = ok || level == l;
    if (!ok) errors.push_back("LOG_LEVEL must be one of trace, debug, info, warn, error, fatal");
    else c.log_level = level;
  }
  c.bench_routes = str("BENCH_ROUTES") == "1";
  if (!errors.empty()) return errors;
  return c;
}

}  // namespace bmcp::app
