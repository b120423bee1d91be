#include "app/config.hpp"

#include "brokers/broker.hpp"
#include "crypto/secret_key.hpp"
#include "http/http_message.hpp"

namespace bmcp::app {
namespace {

std::string trimmed(std::string s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.erase(0, 1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.pop_back();
  return s;
}

bool is_loopback_host(const std::string& host) {
  std::string name = host;
  if (!name.empty() && name[0] == '[') return name.rfind("[::1]", 0) == 0;
  name = name.substr(0, name.find(':'));
  return name == "127.0.0.1" || name == "localhost";
}

// An API base or page URL of a broker: https, or http to loopback (the local sandbox).
std::string broker_url(const Json& env, const char* name, const std::string& fallback,
                       std::vector<std::string>& errors) {
  std::string value = trimmed(get_string(env, name).value_or(""));
  if (value.empty()) value = fallback;
  while (value.size() > 1 && value.back() == '/') value.pop_back();
  auto url = http::parse_url(value);
  if (!url || !url->query.empty() || value.find('#') != std::string::npos) {
    errors.push_back(std::string(name) + " must be an absolute https URL, e.g. " + fallback);
  } else if (url->scheme != "https" && !is_loopback_host(url->host)) {
    errors.push_back(std::string(name) +
                     " must use https (plain http is allowed only for 127.0.0.1 or localhost)");
  }
  return value;
}

void parse_broker(const Json& env, signin::BrokerSettings& broker, const char* id_var,
                  const char* secret_var, const char* redirect_var,
                  std::vector<std::string>& errors) {
  broker.client_id = trimmed(get_string(env, id_var).value_or(""));
  broker.client_secret = trimmed(get_string(env, secret_var).value_or(""));
  if (broker.client_id.empty() != broker.client_secret.empty()) {
    errors.push_back(std::string(broker.client_id.empty() ? id_var : secret_var) +
                     " is not set, but " + (broker.client_id.empty() ? secret_var : id_var) +
                     " is: set both to offer " + broker.display_name + ", or neither");
  }
  for (char c : broker.client_id)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      errors.push_back(std::string(id_var) +
                       " contains spaces or characters that are not printable ASCII");
      break;
    }
  broker.enabled = !broker.client_id.empty() && !broker.client_secret.empty();
  broker.redirect_uri = trimmed(get_string(env, redirect_var).value_or(""));
  if (!broker.redirect_uri.empty()) {
    auto url = http::parse_url(broker.redirect_uri);
    if (!url || url->path != broker.callback_path)
      errors.push_back(std::string(redirect_var) + " must be an absolute URL ending in " +
                       broker.callback_path + " (the address registered at " + broker.display_name +
                       ")");
  }
}

}  // namespace

std::variant<Config, std::vector<std::string>> parse_config(const Json& env, BuildFlavor flavor) {
  std::vector<std::string> errors;
  Config c;
  if (!env.is_object()) return std::vector<std::string>{"configuration is not an object"};
  c.raw = env;
  auto str = [&](const char* name) { return get_string(env, name).value_or(""); };

  c.public_url = trimmed(str("PUBLIC_URL"));
  while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
  std::string public_origin;
  if (!c.public_url.empty()) {
    auto url = http::parse_url(c.public_url);
    if (!url)
      errors.push_back(
          "PUBLIC_URL must be an absolute http(s) URL, e.g. "
          "https://broker-mcp.example.workers.dev");
    else if (url->scheme != "https" && !is_loopback_host(url->host))
      errors.push_back("PUBLIC_URL must use https");
    else public_origin = url->origin();
  }

  std::string origins = str("ALLOWED_ORIGINS");
  for (std::size_t pos = 0; pos < origins.size();) {
    auto comma = origins.find(',', pos);
    std::string o =
        origins.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    while (!o.empty() && o.front() == ' ') o.erase(0, 1);
    while (!o.empty() && o.back() == ' ') o.pop_back();
    if (!o.empty()) {
      if (!http::parse_url(o))
        errors.push_back("ALLOWED_ORIGINS: \"" + o + "\" is not an origin like https://claude.ai");
      c.allowed_origins.push_back(o);
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }

  std::string mode = str("TRADING_MODE");
  if (mode.empty() || mode == "confirm") c.trading_mode = TradingMode::Confirm;
  else if (mode == "elicit") c.trading_mode = TradingMode::Elicit;
  else if (mode == "disabled") c.trading_mode = TradingMode::Disabled;
  else
    errors.push_back("TRADING_MODE must be \"confirm\", \"elicit\" or \"disabled\", not \"" + mode +
                     "\"");

  std::string level = str("LOG_LEVEL");
  if (!level.empty()) {
    static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "fatal"};
    bool ok = false;
    for (const char* l : kLevels) ok = ok || level == l;
    if (!ok) errors.push_back("LOG_LEVEL must be one of trace, debug, info, warn, error, fatal");
    else c.log_level = level;
  }
  c.bench_routes = str("BENCH_ROUTES") == "1";

  std::string sandbox = trimmed(str("SANDBOX_BROKERAGE"));
  if (sandbox == "1" || sandbox == "true") c.sandbox_brokerage = true;
  else if (!sandbox.empty() && sandbox != "0" && sandbox != "false")
    errors.push_back("SANDBOX_BROKERAGE must be 1 or 0");

  // ---- sign-in -------------------------------------------------------------------------
  std::string auth_mode = trimmed(str("AUTH_MODE"));
  if (auth_mode == "none") {
    if (flavor == BuildFlavor::ConformanceFixture) c.auth_required = false;
    else
      errors.push_back(
          "AUTH_MODE=none is only for the conformance test fixture; remove it (sign-in is always "
          "on)");
  } else if (!auth_mode.empty() && auth_mode != "oauth") {
    errors.push_back("AUTH_MODE must be \"oauth\" (the default)");
  }

  signin::BrokerSettings& schwab = c.signin.schwab;
  schwab.name = "schwab";
  schwab.display_name = "Charles Schwab";
  schwab.callback_path = "/callback";
  schwab.scope = "api";
  schwab.api_base = broker_url(env, "SCHWAB_API_BASE", "https://api.schwabapi.com", errors);
  std::string schwab_auth =
      broker_url(env, "SCHWAB_AUTH_BASE", "https://api.schwabapi.com", errors);
  schwab.authorize_url = schwab_auth + "/v1/oauth/authorize";
  schwab.token_url = schwab_auth + "/v1/oauth/token";
  parse_broker(env, schwab, "SCHWAB_CLIENT_ID", "SCHWAB_CLIENT_SECRET", "SCHWAB_REDIRECT_URI",
               errors);

  signin::BrokerSettings& tasty = c.signin.tastytrade;
  tasty.name = "tastytrade";
  tasty.display_name = "tastytrade";
  tasty.callback_path = "/oauth/callback";
  tasty.scope = c.trading_mode != TradingMode::Disabled ? "read trade" : "read";
  tasty.api_base = broker_url(env, "TASTYTRADE_API_BASE", "https://api.tastyworks.com", errors);
  tasty.authorize_url =
      broker_url(env, "TASTYTRADE_AUTH_URL", "https://my.tastytrade.com/auth.html", errors);
  tasty.token_url = tasty.api_base + "/oauth/token";
  parse_broker(env, tasty, "TASTYTRADE_CLIENT_ID", "TASTYTRADE_CLIENT_SECRET",
               "TASTYTRADE_REDIRECT_URI", errors);
  c.signin.user_agent = "broker-mcp/" + c.server_version;

  // Secrets: required for sign-in; checked (when given) even when sign-in is off.
  struct Secret {
    const char* name;
    bool signing;
    std::string* target;
  };
  for (const Secret& s : {Secret{"JWT_SECRET", true, &c.auth.jwt_secret},
                          Secret{"COOKIE_ENCRYPTION_KEY", false, &c.auth.cookie_key},
                          Secret{"TOKEN_ENCRYPTION_KEY", false, &c.signin.token_key}}) {
    std::string value = str(s.name);
    if (value.empty() && !c.auth_required) continue;
    if (value.empty()) {
      errors.push_back(
          std::string(s.name) + " is not set (a secret: `wrangler secret put " + s.name +
          "` with the output of `openssl rand -hex 32`; for local development `npm run dev` "
          "writes one to .dev.vars)");
      continue;
    }
    crypto::KeyParseResult parsed = s.signing ? crypto::parse_signing_secret(s.name, value)
                                              : crypto::parse_encryption_key(s.name, value);
    if (!parsed.ok()) errors.push_back(parsed.error);
    else *s.target = std::move(*parsed.key);
  }
  if (c.auth_required && !schwab.enabled && !tasty.enabled)
    errors.push_back(
        "no broker is configured: set SCHWAB_CLIENT_ID and SCHWAB_CLIENT_SECRET, or "
        "TASTYTRADE_CLIENT_ID and TASTYTRADE_CLIENT_SECRET (or both)");

  c.auth.public_url = public_origin;
  c.auth.sandbox_brokerage = c.sandbox_brokerage;
  c.auth.allow_loopback_client_metadata = trimmed(str("ALLOW_LOOPBACK_CLIENT_METADATA")) == "1";
  c.auth.direct_sign_in = trimmed(str("TASTYTRADE_DIRECT_SIGN_IN")) == "1";
  c.signin.allowed_users = signin::parse_allowed_users(str("ALLOWED_USERS"), errors);
  if (std::string mode = trimmed(str("TASTYTRADE_SIGN_IN")); mode == "personal")
    c.signin.tastytrade_personal_grant = true;
  else if (!mode.empty() && mode != "partner")
    errors.push_back(
        "TASTYTRADE_SIGN_IN must be \"partner\" (the default: tastytrade's sign-in page, for "
        "trusted "
        "partners) or \"personal\" (the refresh token of a personal grant of your own OAuth "
        "application)");
  if (std::string per_hour = trimmed(str("REGISTRATIONS_PER_HOUR")); !per_hour.empty()) {
    std::int64_t n = 0;
    bool ok = per_hour.size() <= 6;
    for (char ch : per_hour) ok = ok && ch >= '0' && ch <= '9', n = n * 10 + (ch - '0');
    if (!ok || n < 1)
      errors.push_back("REGISTRATIONS_PER_HOUR must be a whole number from 1 to 999999");
    else c.auth.registrations_per_hour = n;
  }
  c.auth.trading_enabled = c.trading_mode != TradingMode::Disabled;
  for (const signin::BrokerSettings* b : c.signin.enabled_brokers()) {
    // The consent page says which way a tastytrade sign-in goes.
    const bool personal = brokers::broker_named(b->name) == brokers::Broker::Tastytrade &&
                          c.signin.tastytrade_personal_grant;
    c.auth.brokers.push_back(oauth::BrokerChoice{
        b->name, personal ? b->display_name + " (personal grant)" : b->display_name});
  }

  if (!errors.empty()) return errors;
  return c;
}

}  // namespace bmcp::app
