// Option chains and market metrics from each broker, turned into the broker-neutral
// analysis::OptionQuote and the facts of analysis::UnderlyingContext.
// - Schwab: /marketdata/v1/chains (quotes with greeks and IV in percent; -999 and "NaN"
//   mean "none"), /marketdata/v1/quotes fundamentals (ex-dividend date and amount).
//   Schwab publishes neither an IV rank nor the next earnings date.
// - tastytrade: /option-chains/{symbol}/nested (the contracts), /market-data/by-type
//   (bid, ask, mark, open interest; no greeks), /market-metrics (IV rank and percentile,
//   per-expiration IV, earnings and dividend dates). Greeks then come from Black-Scholes
//   with the expiration's IV.
#pragma once

#include "base/result.hpp"
#include "analysis/option_chain.hpp"
#include "base/json.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bmcp::market_data {

struct MarketFacts {
  std::optional<double> underlying_price;
  std::optional<double> rate;            // fraction
  std::optional<double> dividend_yield;  // fraction
  std::optional<double> iv_index;        // fraction
  std::optional<double> iv_rank;         // fraction 0–1
  std::optional<double> iv_percentile;   // fraction 0–1
  std::string earnings_date;             // YYYY-MM-DD, empty when unknown
  std::string ex_dividend_date;
  std::optional<double> dividend_amount;        // per share, per payment
  std::map<std::string, double> expiration_iv;  // YYYY-MM-DD -> IV fraction
};

// ---- Schwab ---------------------------------------------------------------------------
struct SchwabChain {
  std::vector<analysis::OptionQuote> quotes;
  MarketFacts facts;  // underlying price, rate, dividend yield, IV index
};
Result<SchwabChain> parse_schwab_chain(const Json& body);
// Adds the ex-dividend date and amount from a /marketdata/v1/quotes answer
// ({SYMBOL: {fundamental: {...}}}); dates before `today` (YYYY-MM-DD) are ignored.
void add_schwab_fundamentals(const Json& quotes_body, const std::string& symbol,
                             const std::string& today, MarketFacts& facts);

// ---- tastytrade -------------------------------------------------------------------------
// IV rank and percentile, IV index, per-expiration IVs, earnings and dividend dates.
MarketFacts parse_tastytrade_metrics(const Json& body, const std::string& symbol);
// The contracts of the nested chain with `min_dte` <= DTE <= `max_dte`, of type 'P' or
// 'C' (or both for 0), without prices yet.
std::vector<analysis::OptionQuote> parse_tastytrade_nested_chain(const Json& body, int min_dte,
                                                                 int max_dte, char put_call);
// Fills bid, ask, mark, volume, open interest and (when the facts have it) the
// expiration's IV into `quotes` from a /market-data/by-type answer. Returns the
// underlying's mark when the answer carried the equity too.
std::optional<double> apply_tastytrade_quotes(const Json& body, const std::string& underlying,
                                              std::vector<analysis::OptionQuote>& quotes,
                                              const MarketFacts& facts);

}  // namespace bmcp::market_data
