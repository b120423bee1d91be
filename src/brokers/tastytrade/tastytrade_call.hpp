// What every tastytrade tool call shares: the long-lived kit (HTTP client, rate limiter,
// logger, trading mode) and the per-call helper that resolves display names, sends
// requests, and turns answers and errors into scrubbed, capped tool results.
#pragma once

#include "brokers/tastytrade/tastytrade_api.hpp"
#include "brokers/upstream/upstream_client.hpp"
#include "mcp/catalog.hpp"
#include "orders/mutation_flow.hpp"
#include "privacy/account_display_map.hpp"
#include "brokers/tastytrade/tastytrade_tools.hpp"

#include <memory>
#include <optional>

namespace bmcp::tools::tastytrade_detail {

struct Kit {
  Kit(const app::Config& config, const brokers::BrokerAccess& access, const logging::Logger& log,
      const TastytradeToolOptions& options);
  Kit(const Kit&) = delete;
  Kit& operator=(const Kit&) = delete;

  upstream::D1RateLimiter limiter;
  upstream::UpstreamClient client;
  logging::Logger log;
  orders::TradingRules trading;  // TRADING_MODE
  std::size_t max_output_chars;
};
using KitRef = std::shared_ptr<const Kit>;

class TtCall {
 public:
  TtCall(mcp::RequestContext& ctx, const Kit& kit) : ctx_(ctx), kit_(kit), user_(ctx.principal().user_id) {}

  Io& io() { return ctx_.io(); }
  mcp::RequestContext& ctx() { return ctx_; }
  const Kit& kit() const { return kit_; }
  const std::string& user() const { return user_; }
  const privacy::AccountDisplayMap* map() const { return map_ ? &*map_ : nullptr; }

  Task<bool> load_accounts(bool rebuild);
  const upstream::UpstreamError& map_error() const { return map_error_; }
  // A display name -> the account (the map is rebuilt once when the name is unknown).
  Task<const privacy::AccountEntry*> resolve(std::string display_name);
  // The named account, or every account when `name` is empty; empty with an error result
  // in `failure` when the name is unknown or the accounts could not be read.
  Task<std::vector<privacy::AccountEntry>> accounts_for(std::string name, std::optional<mcp::ToolResult>& failure);

  Task<upstream::UpstreamResult> send(upstream::UpstreamRequest request);
  Task<upstream::UpstreamResult> get(std::string path, std::string query = {});

  std::string scrub_text(std::string_view text) const;
  Json scrub(const Json& value) const;
  mcp::ToolResult fail(const tastytrade::TypedError& e) const;
  mcp::ToolResult fail(const upstream::UpstreamError& e) const { return fail(tastytrade::typed_error(e)); }
  mcp::ToolResult unknown_account(const std::string& input) const;
  // Scrubbed, wrapped in an object if needed, capped; withheld if an account still shows.
  mcp::ToolResult finish(Json data, const char* hint = "");

 private:
  mcp::RequestContext& ctx_;
  const Kit& kit_;
  std::string user_;
  std::optional<privacy::AccountDisplayMap> map_;
  bool map_fresh_ = false;
  upstream::UpstreamError map_error_;
};

std::string account_path(const privacy::AccountEntry& e);  // "/accounts/<n>"

// Positions of the named account (or all), as the compact view; used by get_positions and
// the portfolio://positions resource. Stores the snapshot in D1 when all accounts were read.
struct PositionsFetch {
  bool ok = false;
  std::optional<mcp::ToolResult> failure;
  Json positions = Json::array();
};
Task<PositionsFetch> fetch_positions(TtCall& call, std::string account, Json filters);

// An order as the tools show it: camelCase names, signed price, legs with their fills.
Json order_view(const Json& order);

void add_read_tools(mcp::Catalog& catalog, KitRef kit);
void add_order_tools(mcp::Catalog& catalog, KitRef kit);
void add_portfolio_resource(mcp::Catalog& catalog, KitRef kit);

}  // namespace bmcp::tools::tastytrade_detail
