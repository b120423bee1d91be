#include "analysis/option_strategies.hpp"

#include <algorithm>
#include <cmath>

namespace bmcp::analysis {
namespace {

constexpr double kDaysPerYear = 365.0;
// Quotes are decimals held in binary: 2.10 - 1.90 is a hair above 0.20. A spread
// exactly at the limit must pass.
constexpr double kPriceTolerance = 1e-9;

bool is_positive_finite(double x) { return std::isfinite(x) && x > 0; }

bool is_usable_context(const UnderlyingContext& c) {
  return is_positive_finite(c.price) && is_positive_finite(c.contract_multiplier) &&
         std::isfinite(c.rate) && std::isfinite(c.dividend_yield);
}

// What we receive selling the option, or pay buying it, on the chosen basis.
std::optional<double> sale_price(const OptionLeg& leg, PriceBasis basis) {
  if (basis == PriceBasis::kNatural) {
    if (leg.spread && is_positive_finite(leg.bid)) return leg.bid;
    return std::nullopt;
  }
  if (is_positive_finite(leg.mid)) return leg.mid;
  return std::nullopt;
}

std::optional<double> purchase_price(const OptionLeg& leg, PriceBasis basis) {
  if (basis == PriceBasis::kNatural) {
    if (leg.spread && is_positive_finite(leg.ask)) return leg.ask;
    return std::nullopt;
  }
  if (is_positive_finite(leg.mid)) return leg.mid;
  return std::nullopt;
}

double annualize(double period_return, int dte) { return period_return * kDaysPerYear / dte; }

std::optional<double> abs_delta(const OptionLeg& leg) {
  if (!leg.delta) return std::nullopt;
  return std::min(1.0, std::fabs(*leg.delta));  // a broker delta beyond 1 is noise
}

// P(S_T > level) under the lognormal model; a level at or below zero is always beaten.
std::optional<double> chance_above(const UnderlyingContext& c, double level, int dte,
                                   std::optional<double> iv) {
  if (!iv) return std::nullopt;
  if (level <= 0) return 1.0;
  return probability_above(c.price, level, dte / kDaysPerYear, *iv, c.rate, c.dividend_yield);
}

enum class Rejection {
  kNone,
  kOutsideDte,
  kNoDelta,
  kOutsideDelta,
  kLowOpenInterest,
  kWideSpread,
  kEarnings,
};

bool passes_spread(const OptionLeg& leg, const CandidateFilters& f) {
  if (!leg.spread) return false;
  const double limit = std::max(f.max_spread_fraction * leg.mid, f.max_spread_absolute);
  return *leg.spread <= limit + kPriceTolerance;
}

Rejection screen_short_leg(const OptionLeg& leg, const CandidateFilters& f) {
  if (leg.dte < f.min_dte || leg.dte > f.max_dte) return Rejection::kOutsideDte;
  const auto delta = abs_delta(leg);
  if (!delta) return Rejection::kNoDelta;
  if (*delta < f.min_abs_delta - kPriceTolerance || *delta > f.max_abs_delta + kPriceTolerance) {
    return Rejection::kOutsideDelta;
  }
  if (leg.open_interest < f.min_open_interest) return Rejection::kLowOpenInterest;
  if (!passes_spread(leg, f)) return Rejection::kWideSpread;
  if (f.skip_earnings_before_expiry && leg.earnings_before_expiry.value_or(false)) {
    return Rejection::kEarnings;
  }
  return Rejection::kNone;
}

void count_rejection(FilterReport& report, Rejection rejection) {
  switch (rejection) {
    case Rejection::kNone: break;
    case Rejection::kOutsideDte: ++report.outside_dte; break;
    case Rejection::kNoDelta: ++report.no_delta; break;
    case Rejection::kOutsideDelta: ++report.outside_delta; break;
    case Rejection::kLowOpenInterest: ++report.low_open_interest; break;
    case Rejection::kWideSpread: ++report.wide_spread; break;
    case Rejection::kEarnings: ++report.earnings_before_expiry; break;
  }
}

std::optional<OptionType> type_of(const OptionQuote& q) {
  if (q.put_call == 'P' || q.put_call == 'p') return OptionType::kPut;
  if (q.put_call == 'C' || q.put_call == 'c') return OptionType::kCall;
  return std::nullopt;
}

// Best score first; ties by expiration, then strike, then symbol (of the short leg,
// then of the long leg for spreads), so the order never depends on the chain's order.
template <class Candidate, class LegOf>
void sort_and_truncate(std::vector<Candidate>& candidates, std::size_t max_results, LegOf leg_of,
                       LegOf second_leg_of) {
  const auto leg_less = [](const OptionLeg& a, const OptionLeg& b) {
    if (a.expiration != b.expiration) return a.expiration < b.expiration;
    if (a.strike != b.strike) return a.strike < b.strike;
    return a.symbol < b.symbol;
  };
  std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    if (leg_less(leg_of(a), leg_of(b))) return true;
    if (leg_less(leg_of(b), leg_of(a))) return false;
    return leg_less(second_leg_of(a), second_leg_of(b));
  });
  if (candidates.size() > max_results) candidates.resize(max_results);
}

// The shared loop of the single-option strategies.
template <class Candidate, class Evaluate, class LegOf>
Ranking<Candidate> rank_single_leg(const std::vector<OptionQuote>& chain,
                                   const UnderlyingContext& context, OptionType type,
                                   const CandidateFilters& filters, Evaluate evaluate,
                                   LegOf leg_of) {
  Ranking<Candidate> out;
  for (const OptionQuote& quote : chain) {
    if (type_of(quote) != type) continue;
    ++out.report.examined;
    const auto leg = is_usable_context(context) ? make_leg(quote, context) : std::nullopt;
    if (!leg) {
      ++out.report.unpriced;
      continue;
    }
    const Rejection rejection = screen_short_leg(*leg, filters);
    if (rejection != Rejection::kNone) {
      count_rejection(out.report, rejection);
      continue;
    }
    auto candidate = evaluate(*leg, context, filters.price_basis);
    if (!candidate) {
      ++out.report.no_valid_trade;
      continue;
    }
    out.candidates.push_back(std::move(*candidate));
  }
  out.report.accepted = out.candidates.size();
  sort_and_truncate(out.candidates, filters.max_results, leg_of, leg_of);
  return out;
}

}  // namespace

std::optional<CashSecuredPut> evaluate_cash_secured_put(const OptionLeg& put,
                                                        const UnderlyingContext& context,
                                                        PriceBasis basis) {
  if (put.type != OptionType::kPut || put.dte < 1 || !is_usable_context(context))
    return std::nullopt;
  const auto credit = sale_price(put, basis);
  if (!credit || *credit >= put.strike) return std::nullopt;
  const double C = *credit;
  const double K = put.strike;
  const double S = context.price;
  const double m = context.contract_multiplier;

  CashSecuredPut t;
  t.put = put;
  t.credit = C;
  t.premium = C * m;
  t.collateral = K * m;
  t.net_collateral = (K - C) * m;
  t.return_on_capital = C / K;
  t.annualized_return = annualize(t.return_on_capital, put.dte);
  t.annualized_return_compounded =
      std::pow(1.0 + t.return_on_capital, kDaysPerYear / put.dte) - 1.0;
  t.breakeven = K - C;
  t.otm_fraction = (S - K) / S;
  t.discount_to_spot = (S - t.breakeven) / S;
  t.max_profit = C * m;
  t.max_loss = (K - C) * m;
  if (const auto delta = abs_delta(put)) {
    t.prob_assignment_delta = *delta;
    t.pop_delta = 1.0 - *delta;
  }
  t.pop_lognormal = chance_above(context, t.breakeven, put.dte, put.iv);
  if (put.theta) t.theta_yield = -*put.theta / C;
  t.score = t.pop_delta ? t.annualized_return * *t.pop_delta : 0.0;
  return t;
}

std::optional<CoveredCall> evaluate_covered_call(const OptionLeg& call,
                                                 const UnderlyingContext& context,
                                                 PriceBasis basis) {
  if (call.type != OptionType::kCall || call.dte < 1 || !is_usable_context(context)) {
    return std::nullopt;
  }
  const auto credit = sale_price(call, basis);
  if (!credit) return std::nullopt;
  const double C = *credit;
  const double K = call.strike;
  const double S = context.price;
  const double m = context.contract_multiplier;

  CoveredCall t;
  t.call = call;
  t.credit = C;
  t.premium = C * m;
  t.basis_from_cost = context.cost_basis && is_positive_finite(*context.cost_basis);
  t.basis = t.basis_from_cost ? *context.cost_basis : S;
  const double B = t.basis;
  t.static_return = C / S;
  t.if_called_return = (C + K - S) / S;
  t.annualized_static_return = annualize(t.static_return, call.dte);
  t.annualized_if_called_return = annualize(t.if_called_return, call.dte);
  t.breakeven = B - C;
  t.downside_protection = C / S;
  t.upside_cap = (K - S) / S;
  t.max_profit = (K - B + C) * m;
  t.max_loss = (B - C) * m;
  const bool in_the_money = S > K;
  t.extrinsic = call.mid - std::max(S - K, 0.0);
  const auto delta = abs_delta(call);
  if (delta) t.prob_called_delta = *delta;
  t.pop_lognormal = chance_above(context, t.breakeven, call.dte, call.iv);

  // Early exercise captures the dividend only if it is worth more than the time
  // value given up. A call is exercised early, if at all, just before an
  // ex-dividend date (Hull, "Properties of Stock Options").
  if (!in_the_money || call.ex_dividend_before_expiry == false) {
    t.early_assignment_risk = false;
  } else if (call.ex_dividend_before_expiry && context.dividend_amount &&
             std::isfinite(*context.dividend_amount)) {
    t.early_assignment_risk = t.extrinsic < *context.dividend_amount;
  }
  t.score = delta ? t.annualized_static_return * (1.0 - *delta) : 0.0;
  return t;
}

std::optional<VerticalSpread> evaluate_vertical(const OptionLeg& short_leg,
                                                const OptionLeg& long_leg,
                                                const UnderlyingContext& context,
                                                PriceBasis basis) {
  if (short_leg.type != long_leg.type || short_leg.expiration != long_leg.expiration ||
      short_leg.dte != long_leg.dte || short_leg.strike == long_leg.strike || short_leg.dte < 1 ||
      !is_usable_context(context)) {
    return std::nullopt;
  }
  const auto sold = sale_price(short_leg, basis);
  const auto bought = purchase_price(long_leg, basis);
  if (!sold || !bought) return std::nullopt;

  VerticalSpread v;
  v.short_leg = short_leg;
  v.long_leg = long_leg;
  v.type = short_leg.type;
  const bool is_put = v.type == OptionType::kPut;
  // A put spread collects a credit when the short strike is the higher one; a call
  // spread when the short strike is the lower one.
  v.is_credit = is_put ? short_leg.strike > long_leg.strike : short_leg.strike < long_leg.strike;
  v.width = std::fabs(short_leg.strike - long_leg.strike);
  v.net_price = v.is_credit ? *sold - *bought : *bought - *sold;
  if (!(v.net_price > 0 && v.net_price < v.width)) return std::nullopt;

  const double m = context.contract_multiplier;
  const double price = v.net_price;
  // Bullish spreads profit above the breakeven, bearish ones below it.
  bool bullish = false;
  if (v.is_credit) {
    v.name = is_put ? "bull put" : "bear call";
    bullish = is_put;
    v.max_profit = price * m;
    v.max_loss = (v.width - price) * m;
    v.breakeven = is_put ? short_leg.strike - price : short_leg.strike + price;
    v.credit_to_width = price / v.width;
    if (const auto delta = abs_delta(short_leg)) v.pop_delta = 1.0 - *delta;
  } else {
    v.name = is_put ? "bear put" : "bull call";
    bullish = !is_put;
    v.max_loss = price * m;
    v.max_profit = (v.width - price) * m;
    v.breakeven = is_put ? long_leg.strike - price : long_leg.strike + price;
  }
  v.return_on_risk = v.max_profit / v.max_loss;
  v.annualized_return_on_risk = annualize(v.return_on_risk, short_leg.dte);
  v.risk_reward = v.max_loss / v.max_profit;

  std::optional<double> iv;
  if (short_leg.iv && long_leg.iv) iv = 0.5 * (*short_leg.iv + *long_leg.iv);
  else iv = short_leg.iv ? short_leg.iv : long_leg.iv;
  if (const auto above = chance_above(context, v.breakeven, short_leg.dte, iv)) {
    v.pop_lognormal = bullish ? *above : 1.0 - *above;
  }
  if (short_leg.delta && long_leg.delta) v.delta_net = *long_leg.delta - *short_leg.delta;
  if (short_leg.theta && long_leg.theta) v.theta_net = *long_leg.theta - *short_leg.theta;

  const std::optional<double> probability = v.is_credit ? v.pop_delta : v.pop_lognormal;
  v.score = probability ? v.annualized_return_on_risk * *probability : 0.0;
  return v;
}

Ranking<CashSecuredPut> rank_cash_secured_puts(const std::vector<OptionQuote>& chain,
                                               const UnderlyingContext& context,
                                               const CandidateFilters& filters) {
  return rank_single_leg<CashSecuredPut>(
      chain, context, OptionType::kPut, filters,
      [](const OptionLeg& leg, const UnderlyingContext& c, PriceBasis b) {
        return evaluate_cash_secured_put(leg, c, b);
      },
      [](const CashSecuredPut& t) -> const OptionLeg& { return t.put; });
}

Ranking<CoveredCall> rank_covered_calls(const std::vector<OptionQuote>& chain,
                                        const UnderlyingContext& context,
                                        const CandidateFilters& filters) {
  return rank_single_leg<CoveredCall>(
      chain, context, OptionType::kCall, filters,
      [](const OptionLeg& leg, const UnderlyingContext& c, PriceBasis b) {
        return evaluate_covered_call(leg, c, b);
      },
      [](const CoveredCall& t) -> const OptionLeg& { return t.call; });
}

Ranking<VerticalSpread> rank_credit_spreads(const std::vector<OptionQuote>& chain,
                                            const UnderlyingContext& context, OptionType type,
                                            const CandidateFilters& filters) {
  Ranking<VerticalSpread> out;
  std::vector<std::optional<OptionLeg>> legs;
  for (const OptionQuote& quote : chain) {
    if (type_of(quote) != type) continue;
    legs.push_back(is_usable_context(context) ? make_leg(quote, context) : std::nullopt);
  }
  // Further out of the money: a lower strike for puts, a higher one for calls.
  const auto further_out = [type](const OptionLeg& from, const OptionLeg& to) {
    return type == OptionType::kPut ? to.strike < from.strike : to.strike > from.strike;
  };
  for (const auto& short_leg : legs) {
    ++out.report.examined;
    if (!short_leg) {
      ++out.report.unpriced;
      continue;
    }
    const Rejection rejection = screen_short_leg(*short_leg, filters);
    if (rejection != Rejection::kNone) {
      count_rejection(out.report, rejection);
      continue;
    }
    std::vector<const OptionLeg*> wings;
    for (const auto& other : legs) {
      if (!other || other->expiration != short_leg->expiration || other->dte != short_leg->dte ||
          !further_out(*short_leg, *other) || other->open_interest < filters.min_open_interest ||
          !passes_spread(*other, filters)) {
        continue;
      }
      wings.push_back(&*other);
    }
    std::sort(wings.begin(), wings.end(), [&](const OptionLeg* a, const OptionLeg* b) {
      const double da = std::fabs(a->strike - short_leg->strike);
      const double db = std::fabs(b->strike - short_leg->strike);
      if (da != db) return da < db;
      return a->symbol < b->symbol;
    });
    std::size_t built = 0;
    for (const OptionLeg* wing : wings) {
      if (built == filters.max_long_legs_per_short) break;
      // Two quotes at one strike (a duplicate row) would make the same spread twice.
      if (built > 0 && wing->strike == out.candidates.back().long_leg.strike) continue;
      auto spread = evaluate_vertical(*short_leg, *wing, context, filters.price_basis);
      if (!spread) continue;
      out.candidates.push_back(std::move(*spread));
      ++built;
    }
    if (built == 0) ++out.report.no_valid_trade;
  }
  out.report.accepted = out.candidates.size();
  using LegOf = const OptionLeg& (*)(const VerticalSpread&);
  const LegOf short_of = [](const VerticalSpread& v) -> const OptionLeg& { return v.short_leg; };
  const LegOf long_of = [](const VerticalSpread& v) -> const OptionLeg& { return v.long_leg; };
  sort_and_truncate(out.candidates, filters.max_results, short_of, long_of);
  return out;
}

}  // namespace bmcp::analysis
