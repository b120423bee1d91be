// A broker-neutral option chain and the per-option facts every strategy needs: the
// mid price, the bid/ask spread, greeks (the broker's, or Black-Scholes from the IV
// when the broker sent none), the expected move and the event flags. Broker adapters
// fill OptionQuote and UnderlyingContext; nothing here knows a broker's JSON.
// Units: prices per share; IV, rates and yields as fractions (0.30 = 30%); theta per
// calendar day; vega per volatility point; dates as "YYYY-MM-DD".
#pragma once

#include "analysis/black_scholes.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace bmcp::analysis {

struct OptionQuote {
  std::string symbol;
  char put_call = 'P';  // 'P' or 'C' (either case)
  double strike = 0;
  int dte = 0;             // calendar days to expiration
  std::string expiration;  // YYYY-MM-DD
  double bid = 0;
  double ask = 0;
  double mark = 0;              // used when there is no two-sided market
  double iv = 0;                // implied volatility as a fraction; 0 or less = not given
  std::optional<double> delta;  // per share, as the broker reports them
  std::optional<double> gamma;
  std::optional<double> theta;  // per calendar day
  std::optional<double> vega;   // per volatility point
  long open_interest = 0;
  long volume = 0;
};

// The underlying and the calendar around the chain. Empty date strings mean "not
// known"; a malformed date counts as not known.
struct UnderlyingContext {
  std::string symbol;
  double price = 0;           // S: mark or last
  double rate = 0;            // risk-free, continuously compounded
  double dividend_yield = 0;  // continuous q
  std::string as_of_date;     // today; lets past events be ignored
  std::string earnings_date;  // next earnings report
  std::string ex_dividend_date;
  std::optional<double> dividend_amount;  // per share, paid for ex_dividend_date
  std::optional<double> cost_basis;       // per share, for covered calls
  double contract_multiplier = 100;
};

enum class GreeksSource {
  kBroker,        // the quote carried a delta: every greek is the broker's
  kBlackScholes,  // no broker delta: all greeks computed from the IV
  kNone,          // neither a delta nor a usable IV
};

enum class VolatilitySource {
  kBroker,          // the quote's iv
  kImpliedFromMid,  // the quote had none: solved from the mid price
  kNone,
};

std::string_view to_string(GreeksSource source);
std::string_view to_string(VolatilitySource source);

// One option with everything derived from its quote.
struct OptionLeg {
  std::string symbol;
  std::string expiration;
  OptionType type = OptionType::kPut;
  double strike = 0;
  int dte = 0;
  double bid = 0;
  double ask = 0;
  double mid = 0;                         // (bid+ask)/2, or the mark without a two-sided market
  std::optional<double> spread;           // ask - bid, when two-sided
  std::optional<double> spread_fraction;  // (ask - bid)/mid
  std::optional<double> iv;
  VolatilitySource iv_source = VolatilitySource::kNone;
  std::optional<double> delta;
  std::optional<double> gamma;
  std::optional<double> theta;
  std::optional<double> vega;
  GreeksSource greeks_source = GreeksSource::kNone;
  long open_interest = 0;
  long volume = 0;
  std::optional<double> expected_move;            // S * iv * sqrt(dte/365)
  std::optional<double> sigma_distance;           // |S - K| / expected_move
  std::optional<bool> earnings_before_expiry;     // nullopt: date unknown
  std::optional<bool> ex_dividend_before_expiry;  // nullopt: date unknown
};

// Builds the leg. nullopt when the quote cannot be priced (no two-sided market and
// no positive mark), has a non-positive strike, a negative DTE or an unknown
// put_call, or when the underlying price is not a positive number.
// Greeks: if the quote has a delta, all greeks are taken from the quote (missing
// ones stay missing); otherwise all come from Black-Scholes with T = dte/365, the
// context's rate and yield, and the leg's IV. The IV is the quote's when positive,
// else solved from the mid price.
std::optional<OptionLeg> make_leg(const OptionQuote& quote, const UnderlyingContext& context);

// Whether a dated event (earnings, ex-dividend) falls on or before `expiration`:
// nullopt if either date is missing or malformed; false if the event is before
// `as_of_date` (already past). Dates compare as "YYYY-MM-DD" (a trailing time such
// as "T20:00:00Z" is ignored).
std::optional<bool> event_before_expiry(std::string_view event_date, std::string_view expiration,
                                        std::string_view as_of_date);

}  // namespace bmcp::analysis
