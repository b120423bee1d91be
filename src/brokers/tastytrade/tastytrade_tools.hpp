// The tastytrade tools (listed when the person signed in with tastytrade): quotes with a
// 60-second shared cache, accounts, balances, positions, transactions, orders, option
// chains, market metrics, symbol search and market sessions; orders through the same
// order-safety mechanism as Schwab (src/orders/: preview with tastytrade's dry-run, then a
// confirmation token or an accepted elicitation; never retried; journaled). Accounts are
// named by display names only and every answer is scrubbed of account numbers. Failures
// are seed 000's typed errors: {error:{code, message, retryable, status, retryAfter?}}.
//
// Also the portfolio://positions resource, whose snapshot the positions fetch keeps in D1.
#pragma once

#include "app/config.hpp"
#include "brokers/broker_access.hpp"
#include "logging/logger.hpp"
#include "mcp/catalog.hpp"

namespace bmcp::tools {

struct TastytradeToolOptions {
  std::size_t max_output_chars = 60000;
  std::int64_t requests_per_minute = 120;
  bool rate_limit = true;
};

void add_tastytrade_tools(mcp::Catalog& catalog, const app::Config& config, const brokers::BrokerAccess& access,
                          const logging::Logger& log, TastytradeToolOptions options = {});

}  // namespace bmcp::tools
