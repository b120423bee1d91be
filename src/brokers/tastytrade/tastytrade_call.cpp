#include "brokers/tastytrade/tastytrade_call.hpp"

#include "brokers/tastytrade/tastytrade_accounts.hpp"
#include "brokers/upstream/url.hpp"
#include "privacy/account_scrubber.hpp"
#include "privacy/log_redaction.hpp"
#include "tools/output_limit.hpp"

namespace bmcp::tools::tastytrade_detail {

Kit::Kit(const app::Config& config, const brokers::BrokerAccess& access, const logging::Logger& logger,
         const TastytradeToolOptions& options)
    : limiter(options.requests_per_minute, 60000),
      client(tastytrade::tastytrade_endpoint(config), access, options.rate_limit ? &limiter : nullptr, logger),
      log(logger),
      trading(app::trading_rules(config.trading_mode)),
      max_output_chars(options.max_output_chars) {}

std::string account_path(const privacy::AccountEntry& e) {
  return "/accounts/" + upstream::percent_encode(e.account_number);
}

Task<bool> TtCall::load_accounts(bool rebuild) {
  if (map_ && (!rebuild || map_fresh_)) co_return true;
  tastytrade::LoadedAccounts loaded = co_await tastytrade::load_accounts(io(), kit_.client, user_, rebuild);
  if (!loaded.map) {
    map_error_ = loaded.error;
    co_return static_cast<bool>(map_);
  }
  map_ = std::move(loaded.map);
  map_fresh_ = loaded.rebuilt;
  co_return true;
}

Task<const privacy::AccountEntry*> TtCall::resolve(std::string name) {
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

Task<std::vector<privacy::AccountEntry>> TtCall::accounts_for(std::string name, std::optional<mcp::ToolResult>& failure) {
  std::vector<privacy::AccountEntry> out;
  if (name.empty()) {
    bool ok = co_await load_accounts(false);
    if (!ok) {
      failure = fail(map_error_);
      co_return out;
    }
    out = map_->entries();
    co_return out;
  }
  const privacy::AccountEntry* e = co_await resolve(name);
  if (!e) {
    failure = map_ ? unknown_account(name) : fail(map_error_);
    co_return out;
  }
  out.push_back(*e);
  co_return out;
}

Task<upstream::UpstreamResult> TtCall::send(upstream::UpstreamRequest request) {
  std::string user = user_;
  upstream::UpstreamResult result = co_await kit_.client.send(io(), std::move(user), std::move(request));
  ctx_.add_notice(result.notice);
  co_return result;
}

Task<upstream::UpstreamResult> TtCall::get(std::string path, std::string query) {
  upstream::UpstreamRequest r;
  r.path = std::move(path);
  r.query = std::move(query);
  co_return co_await send(std::move(r));
}

std::string TtCall::scrub_text(std::string_view text) const {
  if (map_) return privacy::scrub_accounts_in_text(text, *map_);
  return privacy::redact_text_for_log(text, nullptr);
}

Json TtCall::scrub(const Json& value) const { return map_ ? privacy::scrub_accounts(value, *map_) : value; }

mcp::ToolResult TtCall::fail(const tastytrade::TypedError& e) const {
  tastytrade::TypedError t = e;
  t.message = scrub_text(t.message);
  Json body = {{"error", t.to_json()}};
  mcp::ToolResult r = mcp::ToolResult::structured_json(std::move(body));
  r.content = Json::array({Json{{"type", "text"}, {"text", t.code + ": " + t.message +
                                                           (t.retryable ? " (retryable)" : "")}}});
  r.is_error = true;
  return r;
}

mcp::ToolResult TtCall::unknown_account(const std::string& input) const {
  std::string names;
  if (map_)
    for (const auto& e : map_->entries()) names += (names.empty() ? "" : ", ") + e.display_name;
  std::string shown = input.size() > 60 ? input.substr(0, 60) : input;
  return fail(tastytrade::validation_error("There is no tastytrade account called '" + shown +
                                           "'. Name an account by its display name; the accounts are: " +
                                           (names.empty() ? "(none)" : names) + "."));
}

mcp::ToolResult TtCall::finish(Json data, const char* hint) {
  if (map_) data = privacy::scrub_accounts(data, *map_);
  if (!data.is_object()) data = Json{{"result", std::move(data)}};
  data = cap_output(std::move(data), kit_.max_output_chars, hint);
  if (map_ && privacy::looks_like_leak(data, *map_)) {
    kit_.log.log(logging::LogLevel::kError, "withheld a tool answer that still named an account", Json::object(), map());
    tastytrade::TypedError e;
    e.code = "INTERNAL_ERROR";
    e.message = "The answer was withheld because it could not be cleaned of account numbers.";
    return fail(e);
  }
  return mcp::ToolResult::structured_json(std::move(data));
}

}  // namespace bmcp::tools::tastytrade_detail
