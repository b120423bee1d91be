// The Schwab tools (listed when the person signed in with Schwab): seed 004's and
// sudowealth/schwab-mcp's names, every parameter of each Schwab endpoint, accounts named
// by display name only, every answer scrubbed of account numbers and hashes, large answers
// compact by default and capped, and orders sent only through the order-safety mechanism
// of src/orders/ (preview, then a confirmation token or an accepted elicitation).
//
// With TRADING_MODE=disabled the mutating tools (placeOrder, replaceOrder, cancelOrder)
// are not listed and previewOrder issues no confirmation token.
#pragma once

#include "app/config.hpp"
#include "brokers/broker_access.hpp"
#include "logging/logger.hpp"
#include "mcp/catalog.hpp"

namespace bmcp::tools {

struct SchwabToolOptions {
  std::size_t max_output_chars = 60000;
  std::int64_t requests_per_minute = 120;  // the deployment-wide limit (seed 004)
  bool rate_limit = true;
};

// Appends the Schwab tools to `catalog`. `access` and the logger's sink must outlive the
// catalog (they are the App's services).
void add_schwab_tools(mcp::Catalog& catalog, const app::Config& config, const brokers::BrokerAccess& access,
                      const logging::Logger& log, SchwabToolOptions options = {});

}  // namespace bmcp::tools
