// The tastytrade tools (listed when the person signed in with tastytrade): quotes with a
// 60-second shared cache, accounts, balances, positions, transactions, orders, option
// chains, market metrics, symbol search and market sessions; orders through the same
// order-safety mechanism as Schwab (src/orders/: preview with tastytrade's dry-run, then a
// confirmation token or an accepted elicitation; never retried; journaled). Accounts are
// named by display names only and every answer is scrubbed of account numbers. Failures
// are the typed errors of tastytrade_api.hpp's profile: {error:{code, message, retryable, status,
// retryAfter?}}.
//
// Also the portfolio://positions resource, whose snapshot the positions fetch keeps in D1.
#pragma once

#include "brokers/broker_call.hpp"
#include "mcp/catalog.hpp"

#include <optional>

namespace bmcp::tastytrade {

// Appends the tastytrade tools and the portfolio://positions resource to `catalog`.
// `access` and the logger's sink must outlive the catalog (they are the App's services).
void add_tastytrade_tools(mcp::Catalog& catalog, upstream::Endpoint endpoint,
                          const brokers::BrokerAccess& access, const logging::Logger& log,
                          const brokers::BrokerToolOptions& options);

std::string account_path(const privacy::AccountEntry& e);  // "/accounts/<n>"

// Positions of the named account (or all), as the compact view (a JSON array), or the
// failure as the tool's answer; used by get_positions and the portfolio://positions
// resource. Stores the snapshot in D1 when all accounts were read.
using PositionsFetch = Result<Json, mcp::ToolResult>;
Task<PositionsFetch> fetch_positions(brokers::BrokerCall& call, std::string account, Json filters);

// An order as the tools show it: camelCase names, signed price, legs with their fills.
Json order_view(const Json& order);

// The tool groups (tastytrade_read_tools.cpp, tastytrade_order_tools.cpp).
void add_read_tools(mcp::Catalog& catalog, brokers::BrokerKitRef kit);
void add_order_tools(mcp::Catalog& catalog, brokers::BrokerKitRef kit);
void add_portfolio_resource(mcp::Catalog& catalog, brokers::BrokerKitRef kit);

}  // namespace bmcp::tastytrade
