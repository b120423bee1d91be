// European option pricing under Black-Scholes-Merton with a continuous dividend
// yield q (J. Hull, "Options, Futures, and Other Derivatives"), its greeks, implied
// volatility, and the lognormal probabilities used to judge option trades.
// Pure functions; invalid or degenerate input (non-finite numbers, spot or strike
// <= 0, T <= 0, sigma <= 0) gives nullopt: at expiry or with zero volatility the
// model collapses to a step function and its greeks stop existing.
#pragma once

#include <optional>

namespace bmcp::analysis {

enum class OptionType { kCall, kPut };

// The contract and market, without volatility. Rates are annual, continuously
// compounded fractions (0.05 = 5%); years is time to expiry (DTE/365 in this code).
struct OptionContract {
  OptionType type = OptionType::kCall;
  double spot = 0;
  double strike = 0;
  double years = 0;
  double rate = 0;
  double dividend_yield = 0;
};

// Price and greeks per share (one unit of underlying), in trader units:
// - delta: dV/dS.           gamma: d2V/dS2.
// - theta_per_day: dV/dt divided by 365, i.e. the change over one calendar day
//   (negative for a long option in most cases).
// - vega_per_point: change for a 1 volatility point (sigma + 0.01).
// - rho_per_point: change for a 1 percentage point rate move (r + 0.01).
// d1 and d2 are reported for callers that derive probabilities from them.
struct OptionValuation {
  double price = 0;
  double delta = 0;
  double gamma = 0;
  double theta_per_day = 0;
  double vega_per_point = 0;
  double rho_per_point = 0;
  double d1 = 0;
  double d2 = 0;
};

// Standard normal distribution, N(x) = erfc(-x/sqrt 2)/2 (accurate in both tails).
double normal_cdf(double x);
double normal_pdf(double x);

// Black-Scholes-Merton price and greeks:
//   d1 = [ln(S/K) + (r - q + sigma^2/2)T] / (sigma sqrt T),  d2 = d1 - sigma sqrt T
//   call = S e^{-qT} N(d1) - K e^{-rT} N(d2)
//   put  = K e^{-rT} N(-d2) - S e^{-qT} N(-d1)
std::optional<OptionValuation> black_scholes(const OptionContract& contract, double volatility);

// Price alone (same conditions as black_scholes).
std::optional<double> black_scholes_price(const OptionContract& contract, double volatility);

// The volatility at which black_scholes_price equals `option_price`. nullopt when
// no volatility in (0, 1000%] reproduces it, in particular when the price is at or
// below the no-arbitrage lower bound (discounted intrinsic value) or at or above the
// upper bound (S e^{-qT} for a call, K e^{-rT} for a put). The solver is Newton's
// method on vega kept inside a bisection bracket, so it always converges.
std::optional<double> implied_volatility(const OptionContract& contract, double option_price);

// Risk-neutral probability that the option finishes in the money under the
// lognormal model: N(d2) for a call, N(-d2) for a put.
std::optional<double> probability_itm(const OptionContract& contract, double volatility);

// Risk-neutral probability that the underlying ends above `level` at `years`:
// N(d2) with d2 = [ln(S/level) + (r - q - sigma^2/2)T]/(sigma sqrt T).
std::optional<double> probability_above(double spot, double level, double years, double volatility,
                                        double rate = 0, double dividend_yield = 0);

// One standard deviation move of the underlying by expiry, S sigma sqrt(T).
std::optional<double> expected_move(double spot, double volatility, double years);

}  // namespace bmcp::analysis
