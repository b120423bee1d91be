#include "analysis/black_scholes.hpp"

#include <algorithm>
#include <cmath>

namespace bmcp::analysis {
namespace {

constexpr double kSqrt2 = 1.4142135623730950488;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
constexpr double kDaysPerYear = 365.0;
constexpr double kMinVolatility = 1e-6;
constexpr double kMaxVolatility = 10.0;  // 1000%: anything above is a bad quote

bool is_positive_finite(double x) { return std::isfinite(x) && x > 0; }

bool is_valid_contract(const OptionContract& c) {
  return is_positive_finite(c.spot) && is_positive_finite(c.strike) &&
         is_positive_finite(c.years) && std::isfinite(c.rate) && std::isfinite(c.dividend_yield);
}

}  // namespace

double normal_cdf(double x) { return 0.5 * std::erfc(-x / kSqrt2); }

double normal_pdf(double x) { return kInvSqrt2Pi * std::exp(-0.5 * x * x); }

std::optional<OptionValuation> black_scholes(const OptionContract& c, double volatility) {
  if (!is_valid_contract(c) || !is_positive_finite(volatility)) return std::nullopt;
  const double S = c.spot;
  const double K = c.strike;
  const double T = c.years;
  const double r = c.rate;
  const double q = c.dividend_yield;
  const double sqrt_t = std::sqrt(T);
  const double sigma_sqrt_t = volatility * sqrt_t;
  const double d1 = (std::log(S / K) + (r - q + 0.5 * volatility * volatility) * T) / sigma_sqrt_t;
  const double d2 = d1 - sigma_sqrt_t;
  const double stock_discount = std::exp(-q * T);
  const double strike_discount = std::exp(-r * T);
  const double density = normal_pdf(d1);

  OptionValuation v;
  v.d1 = d1;
  v.d2 = d2;
  // Gamma and vega are the same for calls and puts (Hull, "The Greek Letters").
  v.gamma = stock_discount * density / (S * sigma_sqrt_t);
  const double vega = S * stock_discount * density * sqrt_t;
  v.vega_per_point = vega / 100.0;
  const double time_decay = -S * stock_discount * density * volatility / (2.0 * sqrt_t);
  if (c.type == OptionType::kCall) {
    v.price = S * stock_discount * normal_cdf(d1) - K * strike_discount * normal_cdf(d2);
    v.delta = stock_discount * normal_cdf(d1);
    const double theta_per_year = time_decay - r * K * strike_discount * normal_cdf(d2) +
                                  q * S * stock_discount * normal_cdf(d1);
    v.theta_per_day = theta_per_year / kDaysPerYear;
    v.rho_per_point = K * T * strike_discount * normal_cdf(d2) / 100.0;
  } else {
    v.price = K * strike_discount * normal_cdf(-d2) - S * stock_discount * normal_cdf(-d1);
    v.delta = -stock_discount * normal_cdf(-d1);
    const double theta_per_year = time_decay + r * K * strike_discount * normal_cdf(-d2) -
                                  q * S * stock_discount * normal_cdf(-d1);
    v.theta_per_day = theta_per_year / kDaysPerYear;
    v.rho_per_point = -K * T * strike_discount * normal_cdf(-d2) / 100.0;
  }
  return v;
}

std::optional<double> black_scholes_price(const OptionContract& contract, double volatility) {
  const auto v = black_scholes(contract, volatility);
  if (!v) return std::nullopt;
  return v->price;
}

std::optional<double> implied_volatility(const OptionContract& c, double option_price) {
  if (!is_valid_contract(c) || !std::isfinite(option_price)) return std::nullopt;
  const double forward_stock = c.spot * std::exp(-c.dividend_yield * c.years);
  const double forward_strike = c.strike * std::exp(-c.rate * c.years);
  // No-arbitrage bounds (Hull, "Properties of Stock Options"): a price outside them has no implied
  // volatility.
  const double lower = c.type == OptionType::kCall ? std::max(forward_stock - forward_strike, 0.0)
                                                   : std::max(forward_strike - forward_stock, 0.0);
  const double upper = c.type == OptionType::kCall ? forward_stock : forward_strike;
  if (option_price <= lower || option_price >= upper) return std::nullopt;

  // The price rises monotonically with volatility, so [low, high] brackets the root.
  double low = kMinVolatility;
  double high = kMaxVolatility;
  const auto price_low = black_scholes_price(c, low);
  const auto price_high = black_scholes_price(c, high);
  if (!price_low || !price_high) return std::nullopt;
  if (option_price < *price_low || option_price > *price_high) return std::nullopt;

  double sigma = 0.3;
  for (int iteration = 0; iteration < 200; ++iteration) {
    const auto v = black_scholes(c, sigma);
    if (!v) return std::nullopt;
    const double error = v->price - option_price;
    if (std::fabs(error) < 1e-12 * std::max(1.0, option_price)) return sigma;
    if (error > 0) high = sigma;
    else low = sigma;
    if (high - low < 1e-14) return sigma;
    const double vega = v->vega_per_point * 100.0;
    double next = vega > 0 ? sigma - error / vega : low;
    // Newton may overshoot where vega is tiny (deep in or out of the money); any
    // step that leaves the bracket is replaced by bisection.
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    sigma = next;
  }
  return sigma;
}

std::optional<double> probability_itm(const OptionContract& contract, double volatility) {
  const auto v = black_scholes(contract, volatility);
  if (!v) return std::nullopt;
  return contract.type == OptionType::kCall ? normal_cdf(v->d2) : normal_cdf(-v->d2);
}

std::optional<double> probability_above(double spot, double level, double years, double volatility,
                                        double rate, double dividend_yield) {
  const OptionContract c{OptionType::kCall, spot, level, years, rate, dividend_yield};
  return probability_itm(c, volatility);
}

std::optional<double> expected_move(double spot, double volatility, double years) {
  if (!is_positive_finite(spot) || !is_positive_finite(volatility) || !is_positive_finite(years)) {
    return std::nullopt;
  }
  return spot * volatility * std::sqrt(years);
}

}  // namespace bmcp::analysis
