// analyze_chart on synthetic histories whose trend and momentum are unambiguous,
// on short histories, and on messy input.
#include "analysis/chart_summary.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

using namespace bmcp::analysis;
using Catch::Matchers::Contains;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

// Daily candles whose close grows by `factor` each day from 100, with a 1% band
// around the close for high and low.
std::vector<Candle> geometric(int count, double factor) {
  std::vector<Candle> candles;
  double close = 100;
  for (int i = 0; i < count; ++i) {
    candles.push_back(Candle{i * kDayMs, close, close * 1.01, close * 0.99, close, 1e6});
    close *= factor;
  }
  return candles;
}

std::vector<Candle> from_closes(const std::vector<double>& closes) {
  std::vector<Candle> candles;
  for (std::size_t i = 0; i < closes.size(); ++i) {
    const double c = closes[i];
    candles.push_back(Candle{static_cast<std::int64_t>(i) * kDayMs, c, c + 1, c - 1, c, 1e6});
  }
  return candles;
}

}  // namespace

TEST_CASE("analyze_chart reads a steady rise as an overbought uptrend", "[analysis][chart]") {
  const auto candles = geometric(400, 1.01);  // 400 calendar days: more than 52 weeks
  const ChartAnalysis a = analyze_chart(candles, 252);
  const double last = candles.back().close;

  CHECK(a.candle_count == 400);
  CHECK(a.ignored_candles == 0);
  CHECK(*a.last_close == Approx(last));
  CHECK(*a.last_time_ms == 399 * kDayMs);
  CHECK(*a.change_percent == Approx(1.0));
  // Mean of the last 50 closes of a geometric series: last * (1 - 1.01^-50)/(1 - 1.01^-1) / 50.
  CHECK(*a.sma50 == Approx(last * (1 - std::pow(1.01, -50)) / (1 - 1 / 1.01) / 50));
  CHECK(a.trend == TrendDirection::kUp);
  CHECK(*a.rsi14 == Approx(100));        // no down closes at all
  CHECK(a.macd->line > a.macd->signal);  // an accelerating line stays above its EMA
  CHECK(*a.adx14->adx == Approx(100));   // only +DM, never -DM: DX 100 throughout
  CHECK(*a.historical_volatility == Approx(0).margin(1e-9));  // identical log returns
  CHECK(*a.atr_percent == Approx(100.0 * *a.atr14 / last));
  CHECK(a.insufficient_history.empty());
  CHECK(a.range_52_week->covers_full_window);
  CHECK(*a.range_52_week->position == Approx(1.0).margin(0.02));  // at the top of its range

  CHECK_THAT(a.summary, Contains("is above its 50- and 200-day averages (uptrend)"));
  CHECK_THAT(a.summary, Contains("RSI 100 is overbought"));
  CHECK_THAT(a.summary, Contains("MACD above signal"));
  CHECK_THAT(a.summary, Contains("ADX 100 shows a strong trend, +DI above -DI"));
  CHECK_THAT(a.summary, Contains("20-day historical volatility 0%"));
  CHECK_THAT(a.summary, !Contains("Too little history"));
}

TEST_CASE("analyze_chart reads an accelerating fall as an oversold downtrend",
          "[analysis][chart]") {
  // close = 500 - 1.02^i: every close lower than the last, by more each day, so the
  // MACD line keeps falling away from its lagging signal. (A geometric decay would
  // not do: its falls shrink, and its MACD line climbs back toward zero.)
  std::vector<Candle> candles;
  for (int i = 0; i < 260; ++i) {
    const double c = 500 - std::pow(1.02, i);
    candles.push_back(Candle{i * kDayMs, c, c * 1.01, c * 0.99, c, 1e6});
  }
  const ChartAnalysis a = analyze_chart(candles, 252);
  CHECK(a.trend == TrendDirection::kDown);
  CHECK(*a.rsi14 == Approx(0).margin(1e-9));
  CHECK_THAT(a.summary, Contains("is below its 50- and 200-day averages (downtrend)"));
  CHECK_THAT(a.summary, Contains("RSI 0 is oversold"));
  CHECK_THAT(a.summary, Contains("MACD below signal"));
  CHECK_THAT(a.summary, Contains("-DI above +DI"));
}

TEST_CASE("analyze_chart reports a mixed trend and a break below the lower band",
          "[analysis][chart]") {
  // 200 closes at 100, 49 at 130, then 120:
  // SMA50 = (49*130 + 120)/50 = 129.8 (close below); SMA200 = (150*100 + 49*130 + 120)/200
  // = 107.45 (close above). Bollinger(20): 19 x 130 and 120 -> mean 129.5, population
  // sigma sqrt((19*0.25 + 90.25)/20) = 2.179, lower band 125.14 > 120.
  std::vector<double> closes(200, 100.0);
  closes.insert(closes.end(), 49, 130.0);
  closes.push_back(120.0);
  const ChartAnalysis a = analyze_chart(from_closes(closes), 252);
  CHECK(*a.sma50 == Approx(129.8));
  CHECK(*a.sma200 == Approx(107.45));
  CHECK(a.trend == TrendDirection::kMixed);
  CHECK(*a.bollinger->percent_b < 0);
  CHECK(*a.change_percent == Approx(100.0 * (120.0 / 130.0 - 1)));
  CHECK_THAT(
      a.summary,
      Contains(
          "Price 120.00 is below its 50-day average and above its 200-day average (mixed trend)"));
  CHECK_THAT(a.summary, Contains("close below the lower Bollinger Band"));
}

TEST_CASE("analyze_chart takes pivots from the candle before the newest", "[analysis][chart]") {
  auto candles = geometric(10, 1.0);
  candles[8] = Candle{8 * kDayMs, 100, 110, 90, 100, 0};  // P 100, R1 110, S1 90
  const ChartAnalysis a = analyze_chart(candles);
  REQUIRE(a.pivots);
  CHECK(a.pivots->pivot == Approx(100));
  CHECK(a.pivots->r1 == Approx(110));
  CHECK(a.pivots->s3 == Approx(70));
}

TEST_CASE("analyze_chart with too little history leaves values absent and says so",
          "[analysis][chart]") {
  SECTION("25 daily candles: short averages and RSI, no 50/200 averages, no MACD, no ADX") {
    const ChartAnalysis a = analyze_chart(geometric(25, 1.002), 252);
    CHECK(a.sma20);
    CHECK(a.rsi14);
    CHECK(a.historical_volatility);
    CHECK_FALSE(a.sma50);
    CHECK_FALSE(a.sma200);
    CHECK_FALSE(a.macd);
    CHECK(a.adx14);             // the DIs need only 15 candles
    CHECK_FALSE(a.adx14->adx);  // ADX needs 28
    CHECK(a.trend == TrendDirection::kUnknown);
    CHECK(a.insufficient_history == std::vector<std::string>{"sma50", "sma200", "macd", "adx14"});
    CHECK_FALSE(a.range_52_week->covers_full_window);
    CHECK_THAT(a.summary, Contains("trend unknown, too little history for the 50-day average"));
    CHECK_THAT(a.summary,
               Contains("Too little history (25 days) for: sma50, sma200, macd, adx14."));
  }
  SECTION("a single candle: only the close") {
    const ChartAnalysis a = analyze_chart(geometric(1, 1.0));
    CHECK(*a.last_close == Approx(100));
    CHECK_FALSE(a.change_percent);
    CHECK_FALSE(a.pivots);
    CHECK_FALSE(a.rsi14);
    CHECK_THAT(a.summary, Contains("(1 day) for: sma20"));
  }
  SECTION("weekly bars are named as weeks") {
    const ChartAnalysis a = analyze_chart(geometric(60, 1.01), 52);
    CHECK_THAT(a.summary, Contains("50-week average"));
    CHECK_THAT(a.summary, Contains("20-week historical volatility"));
  }
  SECTION("an unusable periods_per_year drops only the volatility") {
    const ChartAnalysis a = analyze_chart(geometric(60, 1.01), kNaN);
    CHECK_FALSE(a.historical_volatility);
    CHECK(a.sma50);
    CHECK_THAT(a.summary, Contains("50-bar average"));
  }
}

TEST_CASE("analyze_chart cleans messy input", "[analysis][chart]") {
  SECTION("no candles at all") {
    const ChartAnalysis a = analyze_chart({});
    CHECK(a.candle_count == 0);
    CHECK_FALSE(a.last_close);
    CHECK(a.summary == "No usable price history: nothing to analyze.");
  }
  SECTION("only unusable candles (NaN, zero, negative, inverted)") {
    const std::vector<Candle> junk{Candle{0, kNaN, kNaN, kNaN, kNaN, 0}, Candle{1, 0, 0, 0, 0, 0},
                                   Candle{2, -1, -1, -1, -1, 0}, Candle{3, 10, 9, 11, 10, 0}};
    const ChartAnalysis a = analyze_chart(junk);
    CHECK(a.candle_count == 0);
    CHECK(a.ignored_candles == 4);
    CHECK_THAT(a.summary, Contains("Ignored 4 candle(s)"));
    CHECK_THAT(a.summary, Contains("No usable price history"));
  }
  SECTION("out of order and repeated times: sorted, the last repeat wins") {
    const std::vector<Candle> messy{Candle{3, 13, 14, 12, 13, 0}, Candle{1, 11, 12, 10, 11, 0},
                                    Candle{2, 12, 13, 11, 12, 0}, Candle{3, 13, 15, 12, 14.5, 0},
                                    Candle{4, 1, kNaN, 1, 1, 0}};
    const PreparedCandles p = prepare_candles(messy);
    REQUIRE(p.candles.size() == 3);
    CHECK(p.dropped == 2);
    CHECK(p.candles[0].time_ms == 1);
    CHECK(p.candles[2].time_ms == 3);
    CHECK(p.candles[2].close == 14.5);
    const ChartAnalysis a = analyze_chart(messy);
    CHECK(*a.last_close == 14.5);
    CHECK(a.ignored_candles == 2);
  }
}
