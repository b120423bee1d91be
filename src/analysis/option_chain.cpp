#include "analysis/option_chain.hpp"

#include <cmath>

namespace bmcp::analysis {
namespace {

constexpr double kDaysPerYear = 365.0;

bool is_positive_finite(double x) { return std::isfinite(x) && x > 0; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The "YYYY-MM-DD" prefix of an ISO date or date-time, or empty if malformed.
std::string_view date_part(std::string_view text) {
  if (text.size() < 10) return {};
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return {};
  const std::string_view date = text.substr(0, 10);
  for (std::size_t i = 0; i < 10; ++i) {
    const bool dash_position = i == 4 || i == 7;
    if (dash_position ? date[i] != '-' : !is_digit(date[i])) return {};
  }
  const int month = (date[5] - '0') * 10 + (date[6] - '0');
  const int day = (date[8] - '0') * 10 + (date[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31) return {};
  return date;
}

std::optional<OptionType> option_type_of(char put_call) {
  if (put_call == 'P' || put_call == 'p') return OptionType::kPut;
  if (put_call == 'C' || put_call == 'c') return OptionType::kCall;
  return std::nullopt;
}

std::optional<double> finite_or_empty(const std::optional<double>& value) {
  if (value && std::isfinite(*value)) return value;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(GreeksSource source) {
  switch (source) {
    case GreeksSource::kBroker: return "broker";
    case GreeksSource::kBlackScholes: return "black_scholes";
    case GreeksSource::kNone: return "none";
  }
  return "none";
}

std::string_view to_string(VolatilitySource source) {
  switch (source) {
    case VolatilitySource::kBroker: return "broker";
    case VolatilitySource::kImpliedFromMid: return "implied_from_mid";
    case VolatilitySource::kNone: return "none";
  }
  return "none";
}

std::optional<bool> event_before_expiry(std::string_view event_date, std::string_view expiration,
                                        std::string_view as_of_date) {
  const std::string_view event = date_part(event_date);
  const std::string_view expiry = date_part(expiration);
  if (event.empty() || expiry.empty()) return std::nullopt;
  // ISO dates order lexicographically exactly as they order in time.
  const std::string_view today = date_part(as_of_date);
  if (!today.empty() && event < today) return false;
  return event <= expiry;
}

std::optional<OptionLeg> make_leg(const OptionQuote& quote, const UnderlyingContext& context) {
  const auto type = option_type_of(quote.put_call);
  const double S = context.price;
  if (!type || !is_positive_finite(quote.strike) || quote.dte < 0 || !is_positive_finite(S)) {
    return std::nullopt;
  }
  OptionLeg leg;
  leg.symbol = quote.symbol;
  leg.expiration = quote.expiration;
  leg.type = *type;
  leg.strike = quote.strike;
  leg.dte = quote.dte;
  leg.bid = quote.bid;
  leg.ask = quote.ask;
  leg.open_interest = quote.open_interest;
  leg.volume = quote.volume;

  const bool two_sided = std::isfinite(quote.bid) && quote.bid >= 0 &&
                         is_positive_finite(quote.ask) && quote.ask >= quote.bid;
  if (two_sided) {
    leg.mid = 0.5 * (quote.bid + quote.ask);
    leg.spread = quote.ask - quote.bid;
    leg.spread_fraction = *leg.spread / leg.mid;
  } else if (is_positive_finite(quote.mark)) {
    leg.mid = quote.mark;
  } else {
    return std::nullopt;
  }

  const double years = quote.dte / kDaysPerYear;
  const OptionContract contract{
      leg.type, S, leg.strike, years, context.rate, context.dividend_yield};
  if (is_positive_finite(quote.iv)) {
    leg.iv = quote.iv;
    leg.iv_source = VolatilitySource::kBroker;
  } else if (const auto implied = implied_volatility(contract, leg.mid)) {
    leg.iv = implied;
    leg.iv_source = VolatilitySource::kImpliedFromMid;
  }

  if (quote.delta && std::isfinite(*quote.delta)) {
    leg.delta = quote.delta;
    leg.gamma = finite_or_empty(quote.gamma);
    leg.theta = finite_or_empty(quote.theta);
    leg.vega = finite_or_empty(quote.vega);
    leg.greeks_source = GreeksSource::kBroker;
  } else if (leg.iv) {
    if (const auto model = black_scholes(contract, *leg.iv)) {
      leg.delta = model->delta;
      leg.gamma = model->gamma;
      leg.theta = model->theta_per_day;
      leg.vega = model->vega_per_point;
      leg.greeks_source = GreeksSource::kBlackScholes;
    }
  }

  if (leg.iv) {
    leg.expected_move = expected_move(S, *leg.iv, years);
    if (leg.expected_move) leg.sigma_distance = std::fabs(S - leg.strike) / *leg.expected_move;
  }
  leg.earnings_before_expiry =
      event_before_expiry(context.earnings_date, leg.expiration, context.as_of_date);
  leg.ex_dividend_before_expiry =
      event_before_expiry(context.ex_dividend_date, leg.expiration, context.as_of_date);
  return leg;
}

}  // namespace bmcp::analysis
