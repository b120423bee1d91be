#include "brokers/schwab/schwab_call.hpp"

#include "brokers/schwab/schwab_api.hpp"
#include "privacy/account_scrubber.hpp"
#include "privacy/log_redaction.hpp"
#include "tools/output_limit.hpp"

namespace bmcp::tools::schwab_detail {

Kit::Kit(const app::Config& config, const brokers::BrokerAccess& access, const logging::Logger& logger,
         const SchwabToolOptions& options)
    : limiter(options.requests_per_minute, 60000),
      client(schwab::schwab_endpoint(config), access, options.rate_limit ? &limiter : nullptr, logger),
      accounts(client),
      log(logger),
      trading(app::trading_rules(config.trading_mode)),
      max_output_chars(options.max_output_chars) {}

Task<bool> SchwabCall::load_accounts(bool rebuild) {
  if (map_ && (!rebuild || map_fresh_)) co_return true;
  schwab::LoadedAccounts loaded = co_await kit_.accounts.load(io(), user_, rebuild);
  if (!loaded.map) {
    map_error_ = loaded.error;
    co_return static_cast<bool>(map_);
  }
  map_ = std::move(loaded.map);
  map_fresh_ = loaded.rebuilt;
  co_return true;
}

Task<void> SchwabCall::load_cached_accounts() {
  if (!map_) map_ = co_await kit_.accounts.cached(io(), user_);
}

Task<const privacy::AccountEntry*> SchwabCall::resolve(std::string name) {
  if (!map_) {
    bool ok = co_await load_accounts(false);
    if (!ok) co_return nullptr;
  }
  const privacy::AccountEntry* e = map_->resolve_tool_input(name);
  if (!e && !map_fresh_) {
    bool ok = co_await load_accounts(true);
    if (ok) e = map_->resolve_tool_input(name);
  }
  co_return e;
}

mcp::ToolResult SchwabCall::unknown_account(const std::string& input) const {
  if (!map_) return error(map_error_);
  std::string names;
  for (const auto& e : map_->entries()) names += (names.empty() ? "" : ", ") + e.display_name;
  std::string shown = input.size() > 60 ? input.substr(0, 60) : input;
  return error_text("invalid_request: There is no Schwab account called '" + shown +
                    "'. Name an account by its display name; the accounts are: " +
                    (names.empty() ? "(none)" : names) + ".");
}

Task<upstream::UpstreamResult> SchwabCall::send(upstream::UpstreamRequest request) {
  std::string user = user_;
  upstream::UpstreamResult result = co_await kit_.client.send(io(), std::move(user), std::move(request));
  ctx_.add_notice(result.notice);
  co_return result;
}

std::string SchwabCall::scrub_text(std::string_view text) const {
  if (map_) return privacy::scrub_accounts_in_text(text, *map_);
  return privacy::redact_text_for_log(text, nullptr);
}

Json SchwabCall::scrub(const Json& value) const {
  if (!map_) return value;
  return privacy::scrub_accounts(value, *map_);
}

mcp::ToolResult SchwabCall::error(const upstream::UpstreamError& e) const {
  return error_text(e.describe(schwab::kLabel));
}

mcp::ToolResult SchwabCall::error_text(std::string_view text) const {
  return mcp::ToolResult::error(scrub_text(text));
}

Task<mcp::ToolResult> SchwabCall::finish(Json data, const char* hint) {
  if (map_ && !map_fresh_ && privacy::mentions_unknown_account(data, *map_)) {
    // Schwab knows an account the cached map does not: rebuild it before scrubbing.
    co_await load_accounts(true);
  }
  if (map_) data = privacy::scrub_accounts(data, *map_);
  if (!data.is_object()) data = Json{{"result", std::move(data)}};
  data = cap_output(std::move(data), kit_.max_output_chars, hint);
  if (map_ && privacy::looks_like_leak(data, *map_)) {
    kit_.log.log(logging::LogLevel::kError, "withheld a tool answer that still named an account", Json::object(), map());
    co_return mcp::ToolResult::error("internal_error: the answer was withheld because it could not be cleaned of account numbers.");
  }
  co_return mcp::ToolResult::structured_json(std::move(data));
}

}  // namespace bmcp::tools::schwab_detail
