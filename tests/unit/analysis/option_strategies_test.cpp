// Option legs and strategy candidates on worked examples. Every expected number is
// derived in the comments from the definitions of the trade (premium, collateral,
// breakeven, ...), and each d2 is worked out there; the normal probabilities N(d2)
// were evaluated separately as N(x) = erfc(-x/sqrt 2)/2.
#include "analysis/option_strategies.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

using namespace bmcp::analysis;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Spot 100, valued on 2026-02-18; 2026-03-20 is 30 days later.
UnderlyingContext spot_100() {
  UnderlyingContext c;
  c.symbol = "XYZ";
  c.price = 100;
  c.as_of_date = "2026-02-18";
  return c;
}

OptionQuote quote(char put_call, double strike, double bid, double ask, std::optional<double> delta,
                  double iv = 0.30, int dte = 30, long open_interest = 500,
                  const char* expiration = "2026-03-20") {
  OptionQuote q;
  char symbol[64];
  std::snprintf(symbol, sizeof symbol, "XYZ %s %c%g", expiration, put_call, strike);
  q.symbol = symbol;
  q.put_call = put_call;
  q.strike = strike;
  q.dte = dte;
  q.expiration = expiration;
  q.bid = bid;
  q.ask = ask;
  q.iv = iv;
  q.delta = delta;
  q.open_interest = open_interest;
  return q;
}

OptionLeg leg(const OptionQuote& q, const UnderlyingContext& c = spot_100()) {
  const auto l = make_leg(q, c);
  REQUIRE(l);
  return *l;
}

}  // namespace

TEST_CASE("make_leg derives price, spread, greeks and event flags", "[analysis][options][leg]") {
  const UnderlyingContext context = spot_100();

  SECTION("mid and spread from a two-sided market; broker greeks kept as given") {
    auto q = quote('P', 95, 1.90, 2.10, -0.25);
    q.theta = -0.05;
    const OptionLeg l = leg(q);
    CHECK(l.type == OptionType::kPut);
    CHECK(l.mid == Approx(2.00));
    CHECK(*l.spread == Approx(0.20));
    CHECK(*l.spread_fraction == Approx(0.10));
    CHECK(l.greeks_source == GreeksSource::kBroker);
    CHECK(*l.delta == -0.25);
    CHECK(*l.theta == -0.05);
    CHECK_FALSE(l.gamma);  // the broker sent none, and broker greeks are not mixed with model ones
    CHECK(l.iv_source == VolatilitySource::kBroker);
    // expected move = 100 * 0.30 * sqrt(30/365) = 30 * 0.286691 = 8.6007;
    // sigma distance = |100 - 95| / 8.6007 = 0.58135
    CHECK(*l.expected_move == Approx(8.6007).epsilon(1e-4));
    CHECK(*l.sigma_distance == Approx(0.58135).epsilon(1e-4));
  }
  SECTION("without a broker delta every greek comes from Black-Scholes on the IV") {
    const OptionLeg l = leg(quote('C', 105, 1.40, 1.60, std::nullopt, 0.25));
    const auto model =
        black_scholes(OptionContract{OptionType::kCall, 100, 105, 30.0 / 365.0, 0, 0}, 0.25);
    CHECK(l.greeks_source == GreeksSource::kBlackScholes);
    CHECK(*l.delta == Approx(model->delta));
    CHECK(*l.gamma == Approx(model->gamma));
    CHECK(*l.theta == Approx(model->theta_per_day));
    CHECK(*l.vega == Approx(model->vega_per_point));
    CHECK(*l.delta > 0.15);
    CHECK(*l.delta < 0.35);
  }
  SECTION("without an IV it is solved from the mid") {
    const OptionContract contract{OptionType::kPut, 100, 95, 30.0 / 365.0, 0, 0};
    const double fair = *black_scholes_price(contract, 0.40);
    const OptionLeg l = leg(quote('P', 95, fair - 0.05, fair + 0.05, std::nullopt, 0.0));
    CHECK(l.iv_source == VolatilitySource::kImpliedFromMid);
    CHECK(*l.iv == Approx(0.40).epsilon(1e-6));
    CHECK(l.greeks_source == GreeksSource::kBlackScholes);
  }
  SECTION("no delta and no way to an IV: greeks absent") {
    // A mid below the put's intrinsic value has no implied volatility.
    const OptionLeg l = leg(quote('P', 120, 0.50, 0.60, std::nullopt, 0.0));
    CHECK(l.greeks_source == GreeksSource::kNone);
    CHECK_FALSE(l.delta);
    CHECK_FALSE(l.expected_move);
  }
  SECTION("the mark stands in for a one-sided market") {
    auto q = quote('P', 95, 0, 0, -0.25);
    q.mark = 1.95;
    const OptionLeg l = leg(q);
    CHECK(l.mid == 1.95);
    CHECK_FALSE(l.spread);
  }
  SECTION("unpriceable or malformed quotes give nothing") {
    CHECK_FALSE(make_leg(quote('P', 95, 0, 0, -0.25), context));      // no market, no mark
    CHECK_FALSE(make_leg(quote('X', 95, 1.9, 2.1, -0.25), context));  // not a put or call
    CHECK_FALSE(make_leg(quote('P', 0, 1.9, 2.1, -0.25), context));   // zero strike
    CHECK_FALSE(make_leg(quote('P', 95, 2.1, 1.9, -0.25), context));  // crossed market
    CHECK_FALSE(make_leg(quote('P', kNaN, 1.9, 2.1, -0.25), context));
    CHECK_FALSE(make_leg(quote('P', 95, 1.9, 2.1, -0.25, 0.3, -1), context));
    UnderlyingContext no_spot = context;
    no_spot.price = 0;
    CHECK_FALSE(make_leg(quote('P', 95, 1.9, 2.1, -0.25), no_spot));
  }
  SECTION("a NaN broker delta is ignored in favour of the model") {
    const OptionLeg l = leg(quote('P', 95, 1.9, 2.1, kNaN));
    CHECK(l.greeks_source == GreeksSource::kBlackScholes);
  }
}

TEST_CASE("events are compared with the expiration as ISO dates", "[analysis][options][dates]") {
  CHECK(event_before_expiry("2026-03-05", "2026-03-20", "2026-02-18") == true);
  CHECK(event_before_expiry("2026-03-20", "2026-03-20", "") == true);  // the same day counts
  CHECK(event_before_expiry("2026-04-28", "2026-03-20", "2026-02-18") == false);
  CHECK(event_before_expiry("2026-01-28", "2026-03-20", "2026-02-18") == false);  // already past
  CHECK(event_before_expiry("2026-03-05T21:00:00Z", "2026-03-20", "") == true);
  CHECK_FALSE(event_before_expiry("", "2026-03-20", "2026-02-18").has_value());
  CHECK_FALSE(event_before_expiry("next week", "2026-03-20", "").has_value());
  CHECK_FALSE(event_before_expiry("2026-13-05", "2026-03-20", "").has_value());
  CHECK_FALSE(event_before_expiry("2026-03-05", "03/20/2026", "").has_value());
}

TEST_CASE("a cash-secured put on a worked example", "[analysis][options][csp]") {
  // Sell the 95 put for 2.00 (bid 1.90, ask 2.10), delta -0.25, IV 30%, 30 DTE, S = 100.
  auto q = quote('P', 95, 1.90, 2.10, -0.25);
  q.theta = -0.05;
  const auto t = evaluate_cash_secured_put(leg(q), spot_100());
  REQUIRE(t);
  CHECK(t->credit == Approx(2.00));
  CHECK(t->premium == Approx(200));
  CHECK(t->collateral == Approx(9500));
  CHECK(t->net_collateral == Approx(9300));
  CHECK(t->return_on_capital == Approx(2.0 / 95.0));             // 0.0210526
  CHECK(t->annualized_return == Approx(2.0 / 95.0 * 365 / 30));  // 0.256140
  // (1 + 0.0210526)^(365/30) - 1 = exp(12.16667 * 0.0208341) - 1 = 0.28850
  CHECK(t->annualized_return_compounded == Approx(0.28850).epsilon(1e-4));
  CHECK(t->breakeven == Approx(93));
  CHECK(t->otm_fraction == Approx(0.05));
  CHECK(t->discount_to_spot == Approx(0.07));
  CHECK(t->max_profit == Approx(200));
  CHECK(t->max_loss == Approx(9300));
  CHECK(*t->prob_assignment_delta == Approx(0.25));
  CHECK(*t->pop_delta == Approx(0.75));
  // d2 = [ln(100/93) - 0.3^2/2 * 30/365] / (0.3 sqrt(30/365))
  //    = (0.0725707 - 0.0036986) / 0.0860073 = 0.80077;  N(0.80077) = 0.78837
  CHECK(*t->pop_lognormal == Approx(0.78837).epsilon(1e-4));
  CHECK(*t->theta_yield == Approx(0.025));  // 0.05 of the 2.00 credit decays per day
  CHECK(t->score == Approx(0.256140 * 0.75).epsilon(1e-5));

  SECTION("at the natural price the credit is the bid: 1.90 / 95 = 2%") {
    const auto natural = evaluate_cash_secured_put(leg(q), spot_100(), PriceBasis::kNatural);
    REQUIRE(natural);
    CHECK(natural->credit == Approx(1.90));
    CHECK(natural->return_on_capital == Approx(0.02));
    CHECK(natural->breakeven == Approx(93.10));
  }
  SECTION("impossible trades are refused") {
    CHECK_FALSE(evaluate_cash_secured_put(leg(quote('C', 95, 1.9, 2.1, 0.7)), spot_100()));
    CHECK_FALSE(
        evaluate_cash_secured_put(leg(quote('P', 95, 1.9, 2.1, -0.25, 0.3, 0)), spot_100()));
    // A zero bid cannot be sold at the natural price.
    CHECK_FALSE(evaluate_cash_secured_put(leg(quote('P', 60, 0, 0.05, -0.01)), spot_100(),
                                          PriceBasis::kNatural));
    UnderlyingContext bad = spot_100();
    bad.contract_multiplier = 0;
    CHECK_FALSE(evaluate_cash_secured_put(leg(q), bad));
  }
}

TEST_CASE("a covered call on a worked example", "[analysis][options][covered_call]") {
  // Own 100 shares at S = 100, sell the 105 call for 1.50 (1.40/1.60), delta 0.30,
  // IV 25%, 30 DTE.
  const OptionLeg call = leg(quote('C', 105, 1.40, 1.60, 0.30, 0.25));

  SECTION("bought at today's price") {
    const auto t = evaluate_covered_call(call, spot_100());
    REQUIRE(t);
    CHECK_FALSE(t->basis_from_cost);
    CHECK(t->basis == 100);
    CHECK(t->premium == Approx(150));
    CHECK(t->static_return == Approx(0.015));              // 1.50 / 100
    CHECK(t->if_called_return == Approx(0.065));           // (1.50 + 105 - 100) / 100
    CHECK(t->annualized_static_return == Approx(0.1825));  // 0.015 * 365/30
    CHECK(t->annualized_if_called_return == Approx(0.790833).epsilon(1e-5));
    CHECK(t->breakeven == Approx(98.5));
    CHECK(t->downside_protection == Approx(0.015));
    CHECK(t->upside_cap == Approx(0.05));
    CHECK(t->max_profit == Approx(650));  // (105 - 100 + 1.5) * 100
    CHECK(t->max_loss == Approx(9850));   // (100 - 1.5) * 100
    CHECK(t->extrinsic == Approx(1.50));  // out of the money: all time value
    CHECK(*t->prob_called_delta == Approx(0.30));
    // d2 = [ln(100/98.5) - 0.25^2/2 * 30/365] / (0.25 sqrt(30/365))
    //    = (0.0151136 - 0.0025685) / 0.0716728 = 0.17503;  N(0.17503) = 0.56947
    CHECK(*t->pop_lognormal == Approx(0.56947).epsilon(1e-4));
    CHECK(t->score == Approx(0.1825 * 0.70));
    CHECK(t->early_assignment_risk == false);  // out of the money
  }
  SECTION("against a cost basis of 90") {
    UnderlyingContext context = spot_100();
    context.cost_basis = 90;
    const auto t = evaluate_covered_call(call, context);
    REQUIRE(t);
    CHECK(t->basis_from_cost);
    CHECK(t->breakeven == Approx(88.5));
    CHECK(t->max_profit == Approx(1650));      // (105 - 90 + 1.5) * 100
    CHECK(t->max_loss == Approx(8850));        // (90 - 1.5) * 100
    CHECK(t->static_return == Approx(0.015));  // returns stay relative to today's price
  }
  SECTION("early assignment: an in-the-money call with little time value before an ex-date") {
    // 95 call at 5.30 with S = 100: intrinsic 5, extrinsic 0.30.
    const OptionQuote itm = quote('C', 95, 5.20, 5.40, 0.80, 0.25);
    UnderlyingContext context = spot_100();
    context.ex_dividend_date = "2026-03-10";
    context.dividend_amount = 0.50;
    auto t = evaluate_covered_call(leg(itm, context), context);
    REQUIRE(t);
    CHECK(t->extrinsic == Approx(0.30));
    CHECK(t->early_assignment_risk == true);  // 0.30 < 0.50

    context.dividend_amount = 0.20;
    CHECK(evaluate_covered_call(leg(itm, context), context)->early_assignment_risk == false);

    context.dividend_amount = std::nullopt;
    CHECK_FALSE(
        evaluate_covered_call(leg(itm, context), context)->early_assignment_risk.has_value());

    context.dividend_amount = 0.50;
    context.ex_dividend_date = "2026-04-10";  // after expiration
    CHECK(evaluate_covered_call(leg(itm, context), context)->early_assignment_risk == false);

    context.ex_dividend_date = "";  // unknown
    CHECK_FALSE(
        evaluate_covered_call(leg(itm, context), context)->early_assignment_risk.has_value());
  }
}

TEST_CASE("vertical spreads on worked examples", "[analysis][options][vertical]") {
  const UnderlyingContext context = spot_100();

  SECTION("bull put: sell 95P at 2.00, buy 90P at 0.80") {
    auto short_q = quote('P', 95, 1.90, 2.10, -0.25, 0.30);
    auto long_q = quote('P', 90, 0.75, 0.85, -0.12, 0.33);
    short_q.theta = -0.050;
    long_q.theta = -0.030;
    const auto v = evaluate_vertical(leg(short_q), leg(long_q), context);
    REQUIRE(v);
    CHECK(v->is_credit);
    CHECK(v->name == "bull put");
    CHECK(v->width == Approx(5));
    CHECK(v->net_price == Approx(1.20));
    CHECK(v->max_profit == Approx(120));
    CHECK(v->max_loss == Approx(380));
    CHECK(v->breakeven == Approx(93.80));
    CHECK(v->return_on_risk == Approx(1.2 / 3.8));  // 0.315789
    CHECK(v->annualized_return_on_risk == Approx(1.2 / 3.8 * 365 / 30));
    CHECK(v->risk_reward == Approx(3.8 / 1.2));
    CHECK(*v->credit_to_width == Approx(0.24));
    CHECK(*v->pop_delta == Approx(0.75));
    // IV (0.30 + 0.33)/2 = 0.315; d2 = [ln(100/93.8) - 0.315^2/2 * 30/365] / (0.315 sqrt(30/365))
    //    = (0.0640066 - 0.0040777) / 0.0903077 = 0.66359;  N(0.66359) = 0.74652
    CHECK(*v->pop_lognormal == Approx(0.74652).epsilon(1e-4));
    CHECK(*v->delta_net == Approx(0.13));  // -0.12 - (-0.25)
    CHECK(*v->theta_net == Approx(0.02));  // -0.03 - (-0.05): the position earns decay
    CHECK(v->score == Approx(1.2 / 3.8 * 365 / 30 * 0.75));

    const auto natural =
        evaluate_vertical(leg(short_q), leg(long_q), context, PriceBasis::kNatural);
    REQUIRE(natural);
    CHECK(natural->net_price == Approx(1.05));  // 1.90 bid - 0.85 ask
  }
  SECTION("bear call: sell 105C at 1.50, buy 110C at 0.50") {
    const auto v = evaluate_vertical(leg(quote('C', 105, 1.45, 1.55, 0.30, 0.25)),
                                     leg(quote('C', 110, 0.45, 0.55, 0.12, 0.24)), context);
    REQUIRE(v);
    CHECK(v->name == "bear call");
    CHECK(v->net_price == Approx(1.00));
    CHECK(v->max_profit == Approx(100));
    CHECK(v->max_loss == Approx(400));
    CHECK(v->breakeven == Approx(106));
    CHECK(v->return_on_risk == Approx(0.25));
    CHECK(*v->credit_to_width == Approx(0.20));
    CHECK(*v->pop_delta == Approx(0.70));
    // Profitable below 106: 1 - N(d2), IV 0.245,
    // d2 = [ln(100/106) - 0.245^2/2 * 30/365] / (0.245 sqrt(30/365)) = -0.86470; 1 - N(d2) =
    // 0.80640
    CHECK(*v->pop_lognormal == Approx(0.80640).epsilon(1e-4));
  }
  SECTION("debit spreads: bull call and bear put") {
    // Buy 100C at 4.00, sell 105C at 1.50: debit 2.50, max loss 250, max profit 250,
    // breakeven 102.50.
    const auto bull = evaluate_vertical(leg(quote('C', 105, 1.45, 1.55, 0.30, 0.25)),
                                        leg(quote('C', 100, 3.90, 4.10, 0.52, 0.25)), context);
    REQUIRE(bull);
    CHECK_FALSE(bull->is_credit);
    CHECK(bull->name == "bull call");
    CHECK(bull->net_price == Approx(2.50));
    CHECK(bull->max_loss == Approx(250));
    CHECK(bull->max_profit == Approx(250));
    CHECK(bull->breakeven == Approx(102.5));
    CHECK(bull->return_on_risk == Approx(1.0));
    CHECK_FALSE(bull->credit_to_width);
    CHECK_FALSE(bull->pop_delta);
    // d2 = [ln(100/102.5) - 0.25^2/2 * 30/365] / (0.25 sqrt(30/365)) = -0.38036; N = 0.35184
    CHECK(*bull->pop_lognormal == Approx(0.35184).epsilon(1e-4));
    CHECK(bull->score == Approx(365.0 / 30 * 0.35184).epsilon(1e-4));

    // Buy 100P at 4.00, sell 95P at 2.00: debit 2, max loss 200, max profit 300, breakeven 98.
    const auto bear = evaluate_vertical(leg(quote('P', 95, 1.90, 2.10, -0.25)),
                                        leg(quote('P', 100, 3.90, 4.10, -0.50)), context);
    REQUIRE(bear);
    CHECK(bear->name == "bear put");
    CHECK(bear->max_loss == Approx(200));
    CHECK(bear->max_profit == Approx(300));
    CHECK(bear->breakeven == Approx(98));
  }
  SECTION("impossible spreads are refused") {
    const OptionLeg p95 = leg(quote('P', 95, 1.90, 2.10, -0.25));
    // Credit as large as the width: free money means bad quotes.
    CHECK_FALSE(evaluate_vertical(leg(quote('P', 96, 3.0, 3.2, -0.3)), p95, context));
    // Long wing dearer than the short: a "credit" spread paying a debit.
    CHECK_FALSE(evaluate_vertical(p95, leg(quote('P', 90, 2.50, 2.70, -0.2)), context));
    CHECK_FALSE(evaluate_vertical(p95, p95, context));  // same strike
    CHECK_FALSE(evaluate_vertical(p95, leg(quote('C', 90, 0.5, 0.6, 0.9)), context));
    CHECK_FALSE(evaluate_vertical(
        p95, leg(quote('P', 90, 0.75, 0.85, -0.12, 0.3, 58, 500, "2026-04-17")), context));
  }
}

TEST_CASE("cash-secured puts are filtered, counted and ranked", "[analysis][options][rank]") {
  UnderlyingContext context = spot_100();
  std::vector<OptionQuote> chain{
      quote('P', 95, 1.90, 2.10, -0.25),                // good
      quote('P', 92, 1.05, 1.15, -0.17),                // good, lower yield
      quote('P', 97, 2.90, 3.10, -0.33, 0.30, 10),      // DTE 10 < 21
      quote('P', 99, 3.90, 4.10, -0.45),                // delta too high
      quote('P', 85, 0.35, 0.45, -0.07),                // delta too low
      quote('P', 94, 1.60, 1.70, -0.22, 0.30, 30, 20),  // open interest 20
      quote('P', 93, 1.00, 1.60, -0.20),                // 0.60 wide > 10% of 1.30
      quote('P', 96, 0, 0, -0.28),                      // no price
      // No delta, no IV, and a mid (0.015) below intrinsic (30), so no IV can be
      // solved either: no route to a delta.
      quote('P', 130, 0.01, 0.02, std::nullopt, 0.0),
      quote('C', 105, 1.40, 1.60, 0.30),  // a call: not counted
  };

  const auto r = rank_cash_secured_puts(chain, context);
  CHECK(r.report.examined == 9);
  CHECK(r.report.unpriced == 1);
  CHECK(r.report.outside_dte == 1);
  CHECK(r.report.no_delta == 1);
  CHECK(r.report.outside_delta == 2);
  CHECK(r.report.low_open_interest == 1);
  CHECK(r.report.wide_spread == 1);
  CHECK(r.report.earnings_before_expiry == 0);
  CHECK(r.report.accepted == 2);
  REQUIRE(r.candidates.size() == 2);
  // 95P: 2/95 * 365/30 * 0.75 = 0.19211;  92P: 1.10/92 * 365/30 * 0.83 = 0.12074
  CHECK(r.candidates[0].put.strike == 95);
  CHECK(r.candidates[1].put.strike == 92);
  CHECK(r.candidates[0].score > r.candidates[1].score);

  SECTION("earnings before expiry removes every candidate unless the filter is off") {
    context.earnings_date = "2026-03-05";
    const auto skipped = rank_cash_secured_puts(chain, context);
    CHECK(skipped.candidates.empty());
    CHECK(skipped.report.earnings_before_expiry == 2);
    CandidateFilters keep;
    keep.skip_earnings_before_expiry = false;
    const auto kept = rank_cash_secured_puts(chain, context, keep);
    REQUIRE(kept.candidates.size() == 2);
    CHECK(kept.candidates[0].put.earnings_before_expiry == true);
  }
  SECTION("overridden filters: a wider delta band and a result cap") {
    CandidateFilters wide;
    wide.min_abs_delta = 0.05;
    wide.max_abs_delta = 0.50;
    wide.max_results = 3;
    const auto r2 = rank_cash_secured_puts(chain, context, wide);
    CHECK(r2.report.accepted == 4);  // the 99 and 85 puts join
    CHECK(r2.candidates.size() == 3);
  }
  SECTION("a tight spread at exactly the limit passes: 0.20 wide on a 2.00 mid is 10%") {
    const std::vector<OptionQuote> edge{quote('P', 95, 1.90, 2.10, -0.25)};
    CHECK(rank_cash_secured_puts(edge, context).candidates.size() == 1);
  }
  SECTION("a cheap option may be a dime wide even though that is over 10% of its mid") {
    // mid 0.55, 10% = 0.055, but the dime floor allows 0.10.
    const std::vector<OptionQuote> cheap{quote('P', 88, 0.50, 0.60, -0.16)};
    CHECK(rank_cash_secured_puts(cheap, context).candidates.size() == 1);
  }
  SECTION("the order does not depend on the chain's order") {
    std::vector<OptionQuote> reversed(chain.rbegin(), chain.rend());
    const auto again = rank_cash_secured_puts(reversed, context);
    REQUIRE(again.candidates.size() == 2);
    CHECK(again.candidates[0].put.symbol == r.candidates[0].put.symbol);
  }
}

TEST_CASE("covered calls are ranked by static yield kept", "[analysis][options][rank]") {
  const std::vector<OptionQuote> chain{
      quote('C', 105, 1.45, 1.55, 0.30, 0.25),  // 0.015*365/30*0.70 = 0.12775
      quote('C', 110, 0.45, 0.55, 0.15, 0.24),  // 0.005*365/30*0.85 = 0.05171
      quote('C', 102, 2.60, 2.80, 0.42, 0.25),  // delta 0.42: filtered
      quote('C', 107, 0.90, 1.10, 0.22, 0.25),  // 0.20 wide on a 1.00 mid: filtered
      quote('P', 95, 1.90, 2.10, -0.25),
  };
  const auto r = rank_covered_calls(chain, spot_100());
  CHECK(r.report.examined == 4);
  CHECK(r.report.outside_delta == 1);
  CHECK(r.report.wide_spread == 1);
  REQUIRE(r.candidates.size() == 2);
  CHECK(r.candidates[0].call.strike == 105);
  CHECK(r.candidates[0].score == Approx(0.12775));
  CHECK(r.candidates[1].score == Approx(0.005 * 365 / 30 * 0.85));
}

TEST_CASE("credit spreads pair each short strike with nearby wings", "[analysis][options][rank]") {
  // Puts every 2.5 from 85 to 97.5; the 95 and 92.5 qualify as short legs by delta.
  std::vector<OptionQuote> chain{
      quote('P', 97.5, 2.95, 3.05, -0.38),
      quote('P', 95, 1.95, 2.05, -0.28),
      quote('P', 92.5, 1.25, 1.35, -0.19),
      quote('P', 90, 0.75, 0.85, -0.12),
      quote('P', 87.5, 0.45, 0.55, -0.08, 0.30, 30, 10),  // illiquid: never a wing
      quote('P', 85, 0.25, 0.35, -0.05),
  };
  CandidateFilters filters;
  filters.max_long_legs_per_short = 2;
  const auto r = rank_credit_spreads(chain, spot_100(), OptionType::kPut, filters);
  CHECK(r.report.examined == 6);
  // As short legs, 97.5, 90, 87.5 and 85 fail on delta (checked before open interest).
  CHECK(r.report.outside_delta == 4);
  CHECK(r.report.low_open_interest == 0);
  // 95 pairs with 92.5 and 90 (the two nearest); 92.5 pairs with 90 and 85 (87.5 skipped).
  REQUIRE(r.report.accepted == 4);
  REQUIRE(r.candidates.size() == 4);
  // Scores (annualized return on risk * (1 - |delta short|), 365/30 = 12.1667):
  //   95/92.5: credit 0.70, risk 1.80 -> 0.38889 * 12.1667 * 0.72 = 3.40667
  //   95/90:   credit 1.20, risk 3.80 -> 0.31579 * 12.1667 * 0.72 = 2.76632
  //   92.5/90: credit 0.50, risk 2.00 -> 0.25    * 12.1667 * 0.81 = 2.46375
  //   92.5/85: credit 1.00, risk 6.50 -> 0.15385 * 12.1667 * 0.81 = 1.51615
  CHECK(r.candidates[0].short_leg.strike == 95);
  CHECK(r.candidates[0].long_leg.strike == 92.5);
  CHECK(r.candidates[0].score == Approx(3.40667).epsilon(1e-5));
  CHECK(r.candidates[1].long_leg.strike == 90);
  CHECK(r.candidates[1].score == Approx(2.76632).epsilon(1e-5));
  CHECK(r.candidates[2].short_leg.strike == 92.5);
  CHECK(r.candidates[2].long_leg.strike == 90);
  CHECK(r.candidates[3].long_leg.strike == 85);
  CHECK(r.candidates[3].score == Approx(1.51615).epsilon(1e-5));

  SECTION("bear calls from the call side") {
    const std::vector<OptionQuote> calls{
        quote('C', 105, 1.45, 1.55, 0.30, 0.25),
        quote('C', 110, 0.45, 0.55, 0.12, 0.24),
    };
    const auto c = rank_credit_spreads(calls, spot_100(), OptionType::kCall);
    REQUIRE(c.candidates.size() == 1);
    CHECK(c.candidates[0].name == "bear call");
    CHECK(c.report.outside_delta == 1);
  }
  SECTION("a short leg without any wing is reported") {
    const std::vector<OptionQuote> lonely{quote('P', 95, 1.95, 2.05, -0.28)};
    const auto c = rank_credit_spreads(lonely, spot_100(), OptionType::kPut);
    CHECK(c.candidates.empty());
    CHECK(c.report.no_valid_trade == 1);
  }
}

TEST_CASE("strategy ranking survives hostile chains", "[analysis][options][degenerate]") {
  SECTION("an empty chain") {
    const auto r = rank_cash_secured_puts({}, spot_100());
    CHECK(r.candidates.empty());
    CHECK(r.report.examined == 0);
  }
  SECTION("an unusable underlying price leaves every quote unpriced") {
    UnderlyingContext context = spot_100();
    for (double bad : {0.0, -5.0, kNaN}) {
      context.price = bad;
      const std::vector<OptionQuote> chain{quote('P', 95, 1.9, 2.1, -0.25)};
      const auto r = rank_cash_secured_puts(chain, context);
      CHECK(r.candidates.empty());
      CHECK(r.report.unpriced == 1);
      CHECK(rank_credit_spreads(chain, context, OptionType::kPut).report.unpriced == 1);
    }
  }
  SECTION("NaN quotes and zero DTE are rejected, never ranked") {
    std::vector<OptionQuote> chain{quote('P', 95, kNaN, kNaN, -0.25),
                                   quote('P', 95, 1.9, 2.1, -0.25, kNaN, 0),
                                   quote('P', kNaN, 1.9, 2.1, -0.25)};
    CandidateFilters any_dte;
    any_dte.min_dte = 0;
    const auto r = rank_cash_secured_puts(chain, spot_100(), any_dte);
    CHECK(r.candidates.empty());
    CHECK(r.report.unpriced == 2);
    CHECK(r.report.no_valid_trade == 1);  // DTE 0: nothing to annualize over
  }
}
