#include "brokers/broker_call.hpp"

#include "brokers/broker_accounts.hpp"
#include "privacy/account_scrubber.hpp"
#include "privacy/log_redaction.hpp"
#include "tools/output_limit.hpp"

namespace bmcp::brokers {

BrokerKit::BrokerKit(const BrokerProfile& broker_profile, upstream::Endpoint endpoint,
                     const BrokerAccess& access, const logging::Logger& logger,
                     const BrokerToolOptions& options)
    : profile(broker_profile),
      limiter(options.requests_per_minute, 60000),
      client(std::move(endpoint), access, options.rate_limit ? &limiter : nullptr, logger),
      log(logger),
      trading(options.trading),
      max_output_chars(options.max_output_chars),
      account_maps(options.account_maps) {}

void add_broker_tools(mcp::Catalog& catalog, const BrokerProfile& profile,
                      upstream::Endpoint endpoint, const BrokerAccess& access,
                      const logging::Logger& log, const BrokerToolOptions& options,
                      BrokerToolGroups groups) {
  auto kit = std::make_shared<const BrokerKit>(profile, std::move(endpoint), access, log, options);
  for (auto add : {groups.read_tools, groups.order_tools, groups.positions_resource})
    if (add) add(catalog, kit);
}

std::string scrub_text(std::string_view text, const privacy::AccountDisplayMap* map) {
  if (map) return privacy::scrub_accounts_in_text(text, *map);
  return privacy::redact_text_for_log(text, nullptr);
}

Task<bool> BrokerCall::load_accounts(bool rebuild) {
  if (map_ && (!rebuild || map_fresh_)) co_return true;
  std::string user = user_;
  LoadedAccounts loaded = co_await load_account_map(io(), kit_.profile, kit_.client,
                                                    std::move(user), rebuild, kit_.account_maps);
  if (!loaded.map) {
    map_error_ = loaded.error;
    co_return static_cast<bool>(map_);
  }
  map_ = std::move(loaded.map);
  map_fresh_ = loaded.rebuilt;
  co_return true;
}

Task<void> BrokerCall::load_cached_accounts() {
  if (!map_) {
    std::string user = user_;
    map_ =
        co_await cached_account_map(io(), kit_.profile.broker, std::move(user), kit_.account_maps);
  }
}

Task<const privacy::AccountEntry*> BrokerCall::resolve(std::string name) {
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

Task<std::vector<privacy::AccountEntry>> BrokerCall::accounts_for(
    std::string name, std::optional<mcp::ToolResult>& failure) {
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
    failure = unknown_account(name);
    co_return out;
  }
  out.push_back(*e);
  co_return out;
}

mcp::ToolResult BrokerCall::unknown_account(const std::string& input) const {
  if (!map_) return fail(map_error_);
  std::string names;
  for (const auto& e : map_->entries()) names += (names.empty() ? "" : ", ") + e.display_name;
  std::string shown = input.size() > 60 ? input.substr(0, 60) : input;
  return invalid("There is no " + std::string(broker_label(kit_.profile.broker)) +
                 " account called '" + shown +
                 "'. Name an account by its display name; the accounts are: " +
                 (names.empty() ? "(none)" : names) + ".");
}

Task<upstream::UpstreamResult> BrokerCall::send(upstream::UpstreamRequest request) {
  std::string user = user_;
  upstream::UpstreamResult result =
      co_await kit_.client.send(io(), std::move(user), std::move(request));
  ctx_.add_notice(result.notice);
  co_return result;
}

Task<upstream::UpstreamResult> BrokerCall::get(std::string path) {
  return get(std::move(path), std::string());
}

Task<upstream::UpstreamResult> BrokerCall::get(std::string path, std::string query) {
  upstream::UpstreamRequest r;
  r.path = std::move(path);
  r.query = std::move(query);
  co_return co_await send(std::move(r));
}

Json BrokerCall::scrub(const Json& value) const {
  return map_ ? privacy::scrub_accounts(value, *map_) : value;
}

mcp::ToolResult BrokerCall::fail(const upstream::UpstreamError& e) const {
  return kit_.profile.error_result(e, map());
}

mcp::ToolResult BrokerCall::invalid(std::string message) const {
  upstream::UpstreamError e;
  e.code = upstream::ErrorCode::InvalidRequest;
  e.message = std::move(message);
  return fail(e);
}

std::string BrokerCall::failure_words(const upstream::UpstreamError& e) const {
  return scrub_text(kit_.profile.error_words(e));
}

Task<mcp::ToolResult> BrokerCall::finish(Json data, const char* hint) {
  if (map_ && !map_fresh_ && privacy::mentions_unknown_account(data, *map_)) {
    // The broker knows an account the cached map does not: rebuild it before scrubbing.
    co_await load_accounts(true);
  }
  if (map_) data = privacy::scrub_accounts(data, *map_);
  if (!data.is_object()) data = Json{{"result", std::move(data)}};
  data = tools::cap_output(std::move(data), kit_.max_output_chars, hint);
  if (map_ && privacy::looks_like_leak(data, *map_)) {
    kit_.log.log(logging::LogLevel::kError, "withheld a tool answer that still named an account",
                 Json::object(), map());
    upstream::UpstreamError e;
    e.code = upstream::ErrorCode::InternalError;
    e.message = "The answer was withheld because it could not be cleaned of account numbers.";
    co_return fail(e);
  }
  co_return mcp::ToolResult::structured_json(std::move(data));
}

}  // namespace bmcp::brokers
