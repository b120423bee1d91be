// Compact views of Schwab's largest answers. The default view keeps what a person asks
// about and drops bulk; detail "full" returns Schwab's answer as it came (scrubbed).
//  * account: securitiesAccount without initialBalances/projectedBalances, positions
//    reduced to instrument, quantities, prices, value and profit/loss, plus
//    aggregatedBalance. Fields not named here pass through.
//  * option chain: every contract reduced to symbol, bid/ask/last/mark, volume, open
//    interest, volatility, greeks and in-the-money; the maps keep Schwab's shape.
#pragma once

#include "base/json.hpp"

namespace bmcp::schwab {

Json compact_position(const Json& position);
// `entry` is one element of GET /trader/v1/accounts: {securitiesAccount, aggregatedBalance}.
Json compact_account(const Json& entry);
Json full_account(const Json& entry);
Json compact_option_chain(Json chain);

}  // namespace bmcp::schwab
