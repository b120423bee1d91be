// The JSON views: absent values are omitted keys, enums are words, nesting is stable.
#include "analysis/analysis_json.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace bmcp;
using namespace bmcp::analysis;

TEST_CASE("chart analysis JSON omits what could not be computed", "[analysis][json]") {
  SECTION("empty history") {
    const Json j = to_json(analyze_chart({}));
    CHECK(j["candle_count"] == 0);
    CHECK_FALSE(j.contains("last_close"));
    CHECK_FALSE(j.contains("rsi14"));
    CHECK_FALSE(j.contains("macd"));
    CHECK(j["trend"] == "unknown");
    CHECK(j["summary"] == "No usable price history: nothing to analyze.");
  }
  SECTION("25 candles: RSI present, MACD and ADX value absent, the gap listed") {
    std::vector<Candle> candles;
    for (int i = 0; i < 25; ++i)
      candles.push_back(Candle{i, 100.0 + i, 101.0 + i, 99.0 + i, 100.0 + i, 0});
    const Json j = to_json(analyze_chart(candles));
    CHECK(j["last_close"] == 124.0);
    CHECK(j["rsi14"] == 100.0);
    CHECK_FALSE(j.contains("macd"));
    CHECK(j["adx14"].contains("plus_di"));
    CHECK_FALSE(j["adx14"].contains("adx"));
    CHECK(j["insufficient_history"] == Json::array({"sma50", "sma200", "macd", "adx14"}));
    CHECK(j["pivots"]["pivot"] ==
          Approx((124.0 + 122.0 + 123.0) / 3.0));  // candle 23: H 124, L 122, C 123
  }
}

TEST_CASE("strategy JSON names its strategy, legs, sources and probabilities", "[analysis][json]") {
  UnderlyingContext context;
  context.price = 100;
  OptionQuote q;
  q.symbol = "XYZ 260320P95";
  q.put_call = 'P';
  q.strike = 95;
  q.dte = 30;
  q.expiration = "2026-03-20";
  q.bid = 1.90;
  q.ask = 2.10;
  q.iv = 0.30;
  q.open_interest = 500;
  const auto ranking = rank_cash_secured_puts({q}, context);
  const Json j = to_json(ranking);
  REQUIRE(j["candidates"].size() == 1);
  const Json& c = j["candidates"][0];
  CHECK(c["strategy"] == "cash_secured_put");
  CHECK(c["premium"] == Approx(200));
  CHECK(c["put"]["greeks_source"] == "black_scholes");  // no broker delta was given
  CHECK(c["put"]["iv_source"] == "broker");
  CHECK(c["put"]["type"] == "put");
  CHECK(c.contains("pop_delta"));
  CHECK(c.contains("pop_lognormal"));
  CHECK(c.contains("theta_yield"));  // the model supplied a theta, so the yield exists
  CHECK_FALSE(c["put"].contains("earnings_before_expiry"));  // no earnings date known
  CHECK(j["report"]["examined"] == 1);
  CHECK(j["method"].contains("score"));

  SECTION("a credit vertical reports its credit; a debit vertical its debit") {
    OptionQuote wing = q;
    wing.symbol = "XYZ 260320P90";
    wing.strike = 90;
    wing.bid = 0.75;
    wing.ask = 0.85;
    const auto short_leg = make_leg(q, context);
    const auto long_leg = make_leg(wing, context);
    const Json credit = to_json(*evaluate_vertical(*short_leg, *long_leg, context));
    CHECK(credit["name"] == "bull put");
    CHECK(credit["credit"] == Approx(1.20));
    CHECK_FALSE(credit.contains("debit"));
    const Json debit = to_json(*evaluate_vertical(*long_leg, *short_leg, context));
    CHECK(debit["name"] == "bear put");
    CHECK(debit["debit"] == Approx(1.20));
    CHECK_FALSE(debit.contains("credit_to_width"));
  }
  SECTION("filters serialize with their defaults") {
    const Json f = to_json(CandidateFilters{});
    CHECK(f["min_dte"] == 21);
    CHECK(f["max_dte"] == 45);
    CHECK(f["min_open_interest"] == 100);
    CHECK(f["price_basis"] == "mid");
  }
}
