// The broker-tool kernel: what every tool call at every broker shares. BrokerKit is the
// long-lived part (the broker's profile, HTTP client, rate limiter, logger, trading mode,
// output cap); BrokerCall is one call: it resolves display names to accounts, sends
// requests, and turns answers and failures into scrubbed, capped tool results.
//
// Guarantees, the same for every broker (one policy, the strict one):
//  - an account is named by its display name only: a raw account number or hash from the
//    model resolves to nothing (privacy::AccountDisplayMap::resolve_tool_input);
//  - the account map is rebuilt at most once per call, when a name or an answer mentions
//    an account the cached map does not know;
//  - every answer and every error text is scrubbed of account identifiers; an answer that
//    still names one after scrubbing is withheld (and logged), never sent.
#pragma once

#include "brokers/account_map_cache.hpp"
#include "brokers/broker_access.hpp"
#include "brokers/broker_profile.hpp"
#include "brokers/upstream/rate_limiter.hpp"
#include "brokers/upstream/upstream_client.hpp"
#include "logging/logger.hpp"
#include "mcp/request_context.hpp"
#include "orders/trading_rules.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmcp::brokers {

// How a deployment runs a broker's tools (app/production_catalogs.cpp fills it).
struct BrokerToolOptions {
  std::size_t max_output_chars = 60000;
  std::int64_t requests_per_minute =
      120;  // the deployment-wide limit per broker app (Schwab: 120 per minute per app)
  bool rate_limit = true;
  orders::TradingRules trading;  // TRADING_MODE
  // The account maps this isolate knows (the App's; null: KV is read every time). Must
  // outlive the catalog.
  AccountMapCache* account_maps = nullptr;
};

struct BrokerKit {
  BrokerKit(const BrokerProfile& profile, upstream::Endpoint endpoint, const BrokerAccess& access,
            const logging::Logger& log, const BrokerToolOptions& options);
  BrokerKit(const BrokerKit&) = delete;
  BrokerKit& operator=(const BrokerKit&) = delete;

  BrokerProfile profile;
  upstream::D1RateLimiter limiter;  // before the client, which points at it
  upstream::UpstreamClient client;
  logging::Logger log;
  orders::TradingRules trading;
  std::size_t max_output_chars;
  AccountMapCache* account_maps;
};
using BrokerKitRef = std::shared_ptr<const BrokerKit>;

// What a broker adds to a catalog, each part given the broker's one kit.
struct BrokerToolGroups {
  void (*read_tools)(mcp::Catalog& catalog, BrokerKitRef kit) = nullptr;
  void (*order_tools)(mcp::Catalog& catalog, BrokerKitRef kit) = nullptr;
  void (*positions_resource)(mcp::Catalog& catalog, BrokerKitRef kit) = nullptr;
};

// Builds the broker's kit and adds its tools and resources to `catalog`. `access` and the
// logger's sink must outlive the catalog (they are the App's services).
void add_broker_tools(mcp::Catalog& catalog, const BrokerProfile& profile,
                      upstream::Endpoint endpoint, const BrokerAccess& access,
                      const logging::Logger& log, const BrokerToolOptions& options,
                      BrokerToolGroups groups);

// Text with every account identifier replaced: with a map, its numbers and hashes become
// display names; without one, long digit runs and opaque tokens are masked.
std::string scrub_text(std::string_view text, const privacy::AccountDisplayMap* map);

class BrokerCall {
 public:
  BrokerCall(mcp::RequestContext& ctx, const BrokerKit& kit)
      : ctx_(ctx), kit_(kit), user_(ctx.principal().user_id) {}

  Io& io() { return ctx_.io(); }
  mcp::RequestContext& ctx() { return ctx_; }
  const BrokerKit& kit() const { return kit_; }
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
  // The named account, or every account when `name` is empty; empty with the failure in
  // `failure` when the name is unknown or the accounts could not be read.
  Task<std::vector<privacy::AccountEntry>> accounts_for(std::string name,
                                                        std::optional<mcp::ToolResult>& failure);
  // After resolve() found nothing: "There is no <broker> account called 'x'. … the accounts
  // are: A, B." — or why the accounts could not be read.
  mcp::ToolResult unknown_account(const std::string& input) const;

  Task<upstream::UpstreamResult> send(upstream::UpstreamRequest request);
  Task<upstream::UpstreamResult> get(std::string path);
  Task<upstream::UpstreamResult> get(std::string path, std::string query);

  std::string scrub_text(std::string_view text) const { return brokers::scrub_text(text, map()); }
  Json scrub(const Json& value) const;
  // A failure as the broker's tools show it (the profile's error_result), scrubbed.
  mcp::ToolResult fail(const upstream::UpstreamError& e) const;
  // Arguments the broker would refuse, refused here: invalid_request with these words.
  mcp::ToolResult invalid(std::string message) const;
  // The failure's words, scrubbed (an order preview's or mutation's error).
  std::string failure_words(const upstream::UpstreamError& e) const;
  // The answer as a structured result: scrubbed (the map is rebuilt once when the answer
  // mentions an account it does not know), wrapped in an object if needed, capped.
  Task<mcp::ToolResult> finish(Json data, const char* hint);
  Task<mcp::ToolResult> finish(Json data) { return finish(std::move(data), ""); }

 private:
  mcp::RequestContext& ctx_;
  const BrokerKit& kit_;
  std::string user_;
  std::optional<privacy::AccountDisplayMap> map_;
  bool map_fresh_ = false;
  upstream::UpstreamError map_error_;
};

}  // namespace bmcp::brokers
