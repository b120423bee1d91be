// The Schwab tools (listed when the person signed in with Schwab): sudowealth/schwab-mcp's
// tool names, every parameter of each Schwab endpoint, accounts named
// by display name only, every answer scrubbed of account numbers and hashes, large answers
// compact by default and capped (all of it the broker-tool kernel's, brokers/broker_call.hpp),
// and orders sent only through the order-safety mechanism of src/orders/ (preview, then a
// confirmation token or an accepted elicitation).
//
// With TRADING_MODE=disabled the mutating tools (placeOrder, replaceOrder, cancelOrder)
// are not listed and previewOrder issues no confirmation token.
#pragma once

#include "brokers/broker_call.hpp"
#include "mcp/catalog.hpp"

namespace bmcp::schwab {

// Appends the Schwab tools to `catalog`. `access` and the logger's sink must outlive the
// catalog (they are the App's services).
void add_schwab_tools(mcp::Catalog& catalog, upstream::Endpoint endpoint,
                      const brokers::BrokerAccess& access, const logging::Logger& log,
                      const brokers::BrokerToolOptions& options);

// The tool groups (schwab_read_tools.cpp, schwab_order_tools.cpp).
void add_read_tools(mcp::Catalog& catalog, brokers::BrokerKitRef kit);
void add_order_tools(mcp::Catalog& catalog, brokers::BrokerKitRef kit);
// portfolio://positions (resources/resources.hpp) with Schwab's positions.
void add_portfolio_resource(mcp::Catalog& catalog, brokers::BrokerKitRef kit);

}  // namespace bmcp::schwab
