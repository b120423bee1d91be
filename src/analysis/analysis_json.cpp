#include "analysis/analysis_json.hpp"

#include <optional>
#include <string>

namespace bmcp::analysis {
namespace {

template <class T>
void put_optional(Json& object, const char* key, const std::optional<T>& value) {
  if (value) object[key] = *value;
}

Json to_json(const PivotLevels& p) {
  return Json{{"pivot", p.pivot}, {"r1", p.r1}, {"r2", p.r2}, {"r3", p.r3},
              {"s1", p.s1},       {"s2", p.s2}, {"s3", p.s3}};
}

Json to_json(const PriceRange& r) {
  Json out{{"high", r.high},
           {"low", r.low},
           {"last_close", r.last_close},
           {"covers_full_window", r.covers_full_window},
           {"candle_count", r.candle_count}};
  put_optional(out, "position", r.position);
  return out;
}

}  // namespace

Json describe_ranking_method() {
  return Json{
      {"score", "annualized return x (1 - |delta of the short option|), higher is better"},
      {"pop_delta", "1 - |delta of the short option| (the scanners' heuristic)"},
      {"pop_lognormal", "risk-neutral Black-Scholes N(d2) of finishing beyond the breakeven"}};
}

std::string_view to_string(TrendDirection trend) {
  switch (trend) {
    case TrendDirection::kUnknown: return "unknown";
    case TrendDirection::kUp: return "up";
    case TrendDirection::kDown: return "down";
    case TrendDirection::kMixed: return "mixed";
  }
  return "unknown";
}

std::string_view to_string(OptionType type) {
  switch (type) {
    case OptionType::kCall: return "call";
    case OptionType::kPut: return "put";
  }
  return "put";
}

std::string_view to_string(PriceBasis basis) {
  switch (basis) {
    case PriceBasis::kMid: return "mid";
    case PriceBasis::kNatural: return "natural";
  }
  return "mid";
}

Json to_json(const ChartAnalysis& a) {
  Json out = Json::object();
  out["candle_count"] = a.candle_count;
  if (a.ignored_candles > 0) out["ignored_candles"] = a.ignored_candles;
  put_optional(out, "last_time_ms", a.last_time_ms);
  put_optional(out, "last_close", a.last_close);
  put_optional(out, "change_percent", a.change_percent);
  put_optional(out, "sma20", a.sma20);
  put_optional(out, "sma50", a.sma50);
  put_optional(out, "sma200", a.sma200);
  put_optional(out, "ema20", a.ema20);
  put_optional(out, "rsi14", a.rsi14);
  if (a.macd) {
    out["macd"] =
        Json{{"line", a.macd->line}, {"signal", a.macd->signal}, {"histogram", a.macd->histogram}};
  }
  if (a.bollinger) {
    Json b{{"middle", a.bollinger->middle},
           {"upper", a.bollinger->upper},
           {"lower", a.bollinger->lower}};
    put_optional(b, "percent_b", a.bollinger->percent_b);
    put_optional(b, "bandwidth", a.bollinger->bandwidth);
    out["bollinger"] = std::move(b);
  }
  put_optional(out, "atr14", a.atr14);
  put_optional(out, "atr_percent", a.atr_percent);
  if (a.adx14) {
    Json d{{"plus_di", a.adx14->plus_di}, {"minus_di", a.adx14->minus_di}};
    put_optional(d, "adx", a.adx14->adx);
    out["adx14"] = std::move(d);
  }
  put_optional(out, "historical_volatility", a.historical_volatility);
  if (a.pivots) out["pivots"] = to_json(*a.pivots);
  out["support"] = a.levels.support;
  out["resistance"] = a.levels.resistance;
  if (a.range_52_week) out["range_52_week"] = to_json(*a.range_52_week);
  out["trend"] = std::string(to_string(a.trend));
  if (!a.insufficient_history.empty()) out["insufficient_history"] = a.insufficient_history;
  out["summary"] = a.summary;
  return out;
}

Json to_json(const OptionLeg& l) {
  Json out{{"symbol", l.symbol},
           {"expiration", l.expiration},
           {"type", std::string(to_string(l.type))},
           {"strike", l.strike},
           {"dte", l.dte},
           {"bid", l.bid},
           {"ask", l.ask},
           {"mid", l.mid},
           {"open_interest", l.open_interest},
           {"volume", l.volume},
           {"greeks_source", std::string(to_string(l.greeks_source))},
           {"iv_source", std::string(to_string(l.iv_source))}};
  put_optional(out, "spread_fraction", l.spread_fraction);
  put_optional(out, "iv", l.iv);
  put_optional(out, "delta", l.delta);
  put_optional(out, "gamma", l.gamma);
  put_optional(out, "theta", l.theta);
  put_optional(out, "vega", l.vega);
  put_optional(out, "expected_move", l.expected_move);
  put_optional(out, "sigma_distance", l.sigma_distance);
  put_optional(out, "earnings_before_expiry", l.earnings_before_expiry);
  put_optional(out, "ex_dividend_before_expiry", l.ex_dividend_before_expiry);
  return out;
}

Json to_json(const CashSecuredPut& t) {
  Json out{{"strategy", "cash_secured_put"},
           {"put", to_json(t.put)},
           {"credit", t.credit},
           {"premium", t.premium},
           {"collateral", t.collateral},
           {"net_collateral", t.net_collateral},
           {"return_on_capital", t.return_on_capital},
           {"annualized_return", t.annualized_return},
           {"annualized_return_compounded", t.annualized_return_compounded},
           {"breakeven", t.breakeven},
           {"otm_fraction", t.otm_fraction},
           {"discount_to_spot", t.discount_to_spot},
           {"max_profit", t.max_profit},
           {"max_loss", t.max_loss},
           {"score", t.score}};
  put_optional(out, "prob_assignment_delta", t.prob_assignment_delta);
  put_optional(out, "pop_delta", t.pop_delta);
  put_optional(out, "pop_lognormal", t.pop_lognormal);
  put_optional(out, "theta_yield", t.theta_yield);
  return out;
}

Json to_json(const CoveredCall& t) {
  Json out{{"strategy", "covered_call"},
           {"call", to_json(t.call)},
           {"credit", t.credit},
           {"premium", t.premium},
           {"basis", t.basis},
           {"basis_from_cost", t.basis_from_cost},
           {"static_return", t.static_return},
           {"if_called_return", t.if_called_return},
           {"annualized_static_return", t.annualized_static_return},
           {"annualized_if_called_return", t.annualized_if_called_return},
           {"breakeven", t.breakeven},
           {"downside_protection", t.downside_protection},
           {"upside_cap", t.upside_cap},
           {"max_profit", t.max_profit},
           {"max_loss", t.max_loss},
           {"extrinsic", t.extrinsic},
           {"score", t.score}};
  put_optional(out, "prob_called_delta", t.prob_called_delta);
  put_optional(out, "pop_lognormal", t.pop_lognormal);
  put_optional(out, "early_assignment_risk", t.early_assignment_risk);
  return out;
}

Json to_json(const VerticalSpread& v) {
  Json out{{"strategy", "vertical_spread"},
           {"name", v.name},
           {"short_leg", to_json(v.short_leg)},
           {"long_leg", to_json(v.long_leg)},
           {"is_credit", v.is_credit},
           {"width", v.width},
           {v.is_credit ? "credit" : "debit", v.net_price},
           {"max_profit", v.max_profit},
           {"max_loss", v.max_loss},
           {"breakeven", v.breakeven},
           {"return_on_risk", v.return_on_risk},
           {"annualized_return_on_risk", v.annualized_return_on_risk},
           {"risk_reward", v.risk_reward},
           {"score", v.score}};
  put_optional(out, "credit_to_width", v.credit_to_width);
  put_optional(out, "pop_delta", v.pop_delta);
  put_optional(out, "pop_lognormal", v.pop_lognormal);
  put_optional(out, "delta_net", v.delta_net);
  put_optional(out, "theta_net", v.theta_net);
  return out;
}

Json to_json(const FilterReport& r) {
  return Json{{"examined", r.examined},
              {"unpriced", r.unpriced},
              {"outside_dte", r.outside_dte},
              {"no_delta", r.no_delta},
              {"outside_delta", r.outside_delta},
              {"low_open_interest", r.low_open_interest},
              {"wide_spread", r.wide_spread},
              {"earnings_before_expiry", r.earnings_before_expiry},
              {"no_valid_trade", r.no_valid_trade},
              {"accepted", r.accepted}};
}

Json to_json(const CandidateFilters& f) {
  return Json{{"min_dte", f.min_dte},
              {"max_dte", f.max_dte},
              {"min_abs_delta", f.min_abs_delta},
              {"max_abs_delta", f.max_abs_delta},
              {"min_open_interest", f.min_open_interest},
              {"max_spread_fraction", f.max_spread_fraction},
              {"max_spread_absolute", f.max_spread_absolute},
              {"skip_earnings_before_expiry", f.skip_earnings_before_expiry},
              {"price_basis", std::string(to_string(f.price_basis))},
              {"max_results", f.max_results},
              {"max_long_legs_per_short", f.max_long_legs_per_short}};
}

}  // namespace bmcp::analysis
