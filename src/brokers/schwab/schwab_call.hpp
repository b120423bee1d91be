// What every Schwab tool call shares: the long-lived kit (HTTP client, rate limiter,
// account maps, logger, trading mode) and the per-call helper that resolves display
// names, sends requests, and turns answers and errors into scrubbed, capped tool results.
#pragma once

#include "brokers/schwab/schwab_accounts.hpp"
#include "brokers/upstream/upstream_client.hpp"
#include "mcp/catalog.hpp"
#include "orders/mutation_flow.hpp"
#include "brokers/schwab/schwab_tools.hpp"

#include <memory>
#include <optional>

namespace bmcp::tools::schwab_detail {

struct Kit {
  Kit(const app::Config& config, const brokers::BrokerAccess& access, const logging::Logger& log,
      const SchwabToolOptions& options);
  Kit(const Kit&) = delete;
  Kit& operator=(const Kit&) = delete;

  upstream::D1RateLimiter limiter;
  upstream::UpstreamClient client;
  schwab::SchwabAccounts accounts;
  logging::Logger log;
  orders::TradingRules trading;  // TRADING_MODE
  std::size_t max_output_chars;
};

using KitRef = std::shared_ptr<const Kit>;

class SchwabCall {
 public:
  SchwabCall(mcp::RequestContext& ctx, const Kit& kit) : ctx_(ctx), kit_(kit), user_(ctx.principal().user_id) {}

  Io& io() { return ctx_.io(); }
  mcp::RequestContext& ctx() { return ctx_; }
  const Kit& kit() const { return kit_; }
  const std::string& user() const { return user_; }
  const privacy::AccountDisplayMap* map() const { return map_ ? &*map_ : nullptr; }

  // Loads the account map (from the cache unless `rebuild`); false when it could not be
  // had (the reason is in map_error()).
  Task<bool> load_accounts(bool rebuild);
  // The cached map only, for scrubbing answers of tools that need no accounts.
  Task<void> load_cached_accounts();
  const upstream::UpstreamError& map_error() const { return map_error_; }

  // A display name (or the person's spelling of one) -> the account; the map is rebuilt
  // once when the name is unknown. nullptr when it still is not found.
  Task<const privacy::AccountEntry*> resolve(std::string display_name);
  // "Unknown account 'x'. The accounts are: A, B."
  mcp::ToolResult unknown_account(const std::string& input) const;

  Task<upstream::UpstreamResult> send(upstream::UpstreamRequest request);

  // Text with every account identifier replaced (display names with a map; without one,
  // long digit runs and opaque tokens masked).
  std::string scrub_text(std::string_view text) const;
  Json scrub(const Json& value) const;
  mcp::ToolResult error(const upstream::UpstreamError& e) const;
  mcp::ToolResult error_text(std::string_view text) const;
  // The answer as a structured result: scrubbed (the map is rebuilt once when the answer
  // mentions an account it does not know), wrapped in an object if needed, capped.
  Task<mcp::ToolResult> finish(Json data, const char* hint);

 private:
  mcp::RequestContext& ctx_;
  const Kit& kit_;
  std::string user_;
  std::optional<privacy::AccountDisplayMap> map_;
  bool map_fresh_ = false;
  upstream::UpstreamError map_error_;
};

// The tool groups (schwab_read_tools.cpp, schwab_order_tools.cpp).
void add_read_tools(mcp::Catalog& catalog, KitRef kit);
void add_order_tools(mcp::Catalog& catalog, KitRef kit);
// portfolio://positions (resources/resources.hpp) with Schwab's positions.
void add_portfolio_resource(mcp::Catalog& catalog, KitRef kit);

}  // namespace bmcp::tools::schwab_detail
