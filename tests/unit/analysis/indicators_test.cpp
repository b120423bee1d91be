// Indicator values checked against hand-worked series (arithmetic in the comments)
// and against series whose answer is known in closed form.
#include "analysis/indicators.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace bmcp::analysis;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Closes 1, 2, ..., n.
std::vector<double> ramp(int n) {
  std::vector<double> v;
  for (int i = 1; i <= n; ++i) v.push_back(i);
  return v;
}

Candle bar(double high, double low, double close, std::int64_t time_ms = 0) {
  return Candle{time_ms, close, high, low, close, 1000};
}

bool all_empty(const Series& s) {
  for (const auto& v : s) {
    if (v) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("SMA averages the trailing window and warms up for period-1 bars", "[analysis][sma]") {
  SECTION("on the ramp 1..10 the 3-bar mean at index i is i (values i, i+1, i+2 shifted by one)") {
    const auto closes = ramp(10);
    const Series s = sma(closes, 3);
    REQUIRE(s.size() == 10);
    CHECK_FALSE(s[0]);
    CHECK_FALSE(s[1]);
    for (int i = 2; i < 10; ++i) CHECK(*s[i] == Approx(i));
  }
  SECTION("hand example: (2+4+9)/3 = 5 and (4+9+1)/3 = 14/3") {
    const std::vector<double> closes{2, 4, 9, 1};
    const Series s = sma(closes, 3);
    CHECK(*s[2] == Approx(5.0));
    CHECK(*s[3] == Approx(14.0 / 3.0));
  }
  SECTION("too few values, empty input and period 0 give empty output") {
    const std::vector<double> two{1, 2};
    CHECK(all_empty(sma(two, 3)));
    CHECK(sma(std::vector<double>{}, 3).empty());
    CHECK(all_empty(sma(ramp(5), 0)));
    CHECK_FALSE(last_value(sma(two, 3)));
    CHECK_FALSE(last_value(Series{}));
  }
  SECTION("a NaN is a gap: windows touching it are empty and the warm-up restarts") {
    const std::vector<double> closes{1, 2, 3, kNaN, 5, 6, 7};
    const Series s = sma(closes, 2);
    CHECK(*s[1] == Approx(1.5));
    CHECK(*s[2] == Approx(2.5));
    CHECK_FALSE(s[3]);
    CHECK_FALSE(s[4]);  // first good value after the gap: warming up again
    CHECK(*s[5] == Approx(5.5));
    CHECK(*s[6] == Approx(6.5));
  }
}

TEST_CASE("EMA is seeded with the SMA and then recurses with alpha = 2/(n+1)", "[analysis][ema]") {
  SECTION("hand example with n = 2 (alpha = 2/3)") {
    // seed at index 1: (2+4)/2 = 3
    // index 2: 2/3*6 + 1/3*3 = 5
    // index 3: 2/3*8 + 1/3*5 = 7
    // index 4: 2/3*3 + 1/3*7 = 13/3
    const std::vector<double> closes{2, 4, 6, 8, 3};
    const Series e = ema(closes, 2);
    CHECK_FALSE(e[0]);
    CHECK(*e[1] == Approx(3.0));
    CHECK(*e[2] == Approx(5.0));
    CHECK(*e[3] == Approx(7.0));
    CHECK(*e[4] == Approx(13.0 / 3.0));
  }
  SECTION("on a unit ramp the EMA lags by exactly (n-1)/2 from the seed on") {
    // The SMA seed lags the last value by (n-1)/2, and that lag is the fixed point of
    // the recursion on a slope-1 line: lag' = (1-alpha)(lag + 1) = lag when lag = (1-alpha)/alpha.
    const auto closes = ramp(40);
    const Series e = ema(closes, 12);
    for (int i = 11; i < 40; ++i) CHECK(*e[i] == Approx(closes[i] - 5.5));
  }
  SECTION("a constant series stays constant") {
    const std::vector<double> closes(30, 7.25);
    const Series e = ema(closes, 10);
    CHECK(*last_value(e) == Approx(7.25));
  }
  SECTION("a gap restarts the seed") {
    const std::vector<double> closes{1, 2, kNaN, 10, 20, 30};
    const Series e = ema(closes, 2);
    CHECK(*e[1] == Approx(1.5));
    CHECK_FALSE(e[2]);
    CHECK_FALSE(e[3]);
    CHECK(*e[4] == Approx(15.0));  // seed = mean(10, 20), not influenced by 1, 2
    CHECK(*e[5] == Approx(2.0 / 3.0 * 30 + 1.0 / 3.0 * 15));
  }
}

TEST_CASE("RSI uses Wilder smoothing", "[analysis][rsi]") {
  SECTION("the 33-close worksheet popularized by StockCharts' ChartSchool") {
    const std::vector<double> closes{44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.10, 45.42, 45.84,
                                     46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.00, 46.03, 46.41,
                                     46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03,
                                     44.18, 44.22, 44.57, 43.42, 42.66, 43.13};
    const Series r = rsi(closes, 14);
    for (int i = 0; i < 14; ++i) CHECK_FALSE(r[i]);
    // First 14 changes: gains .06 .72 .50 .27 .32 .42 .24 .14 .67 = 3.34,
    // losses .25 .54 .19 .42 = 1.40 (and one 0.00 change).
    // avg gain = 3.34/14 = 0.238571, avg loss = 0.1, RS = 2.385714,
    // RSI = 100 - 100/3.385714 = 70.464. (The published table prints 70.53 because
    // its spreadsheet rounds the averages to 0.24 and 0.10 before dividing.)
    CHECK(*r[14] == Approx(70.464).epsilon(1e-4));
    // Next change 46.00 - 46.28 = -0.28:
    // avg gain = 0.238571*13/14 = 0.221531, avg loss = (0.1*13 + 0.28)/14 = 0.112857,
    // RSI = 100 - 100/(1 + 1.962937) = 66.250 (published: 66.32).
    CHECK(*r[15] == Approx(66.250).epsilon(1e-4));
    // The published table ends at 37.77; unrounded smoothing lands within 0.1 of it.
    CHECK(*last_value(r) == Approx(37.77).margin(0.1));
  }
  SECTION("hand example with n = 2") {
    // changes +1, +1, -1: seed avg gain 1, avg loss 0 -> 100;
    // then gain (1*1 + 0)/2 = 0.5, loss (0*1 + 1)/2 = 0.5 -> RS 1 -> 50.
    const std::vector<double> closes{1, 2, 3, 2};
    const Series r = rsi(closes, 2);
    CHECK(*r[2] == Approx(100.0));
    CHECK(*r[3] == Approx(50.0));
  }
  SECTION("only rises give 100, only falls give 0, no movement gives the documented 50") {
    CHECK(*last_value(rsi(ramp(30), 14)) == Approx(100.0));
    std::vector<double> falling = ramp(30);
    std::reverse(falling.begin(), falling.end());
    CHECK(*last_value(rsi(falling, 14)) == Approx(0.0).margin(1e-12));
    CHECK(*last_value(rsi(std::vector<double>(30, 5.0), 14)) == Approx(50.0));
  }
  SECTION("an alternating series settles into a two-value cycle around 50") {
    // Steady state of the smoothing with moves of +1 and -1 in turn: after an up move
    // G = (13 G' + 1)/14 with G' = 13 G/14 (the decay after a down move), so G = 14/27
    // and L = 13/27; RS = 14/13 and RSI = 100*14/27 = 51.852. After a down move the
    // roles swap: RSI = 100*13/27 = 48.148.
    std::vector<double> closes;
    for (int i = 0; i < 400; ++i) closes.push_back(i % 2 == 0 ? 10.0 : 11.0);
    const Series r = rsi(closes, 14);
    CHECK(*r[399] == Approx(1400.0 / 27.0));  // close 11: an up move
    CHECK(*r[398] == Approx(1300.0 / 27.0));  // close 10: a down move
  }
  SECTION("fewer than period+1 closes give nothing") {
    CHECK(all_empty(rsi(ramp(14), 14)));
    CHECK(rsi(ramp(15), 14)[14].has_value());
  }
}

TEST_CASE("MACD is the difference of two EMAs with an EMA signal line", "[analysis][macd]") {
  SECTION("hand example with fast 2, slow 3, signal 2 on 1, 2, 4, 8, 16, 32") {
    // EMA2 (alpha 2/3): 1.5, 3.16667, 6.38889, 12.79630, 25.59877 (from index 1)
    // EMA3 (alpha 1/2): 2.33333, 5.16667, 10.58333, 21.29167 (from index 2)
    // line: 0.83333, 1.22222, 2.21296, 4.30710 (from index 2)
    // signal: seed (0.83333+1.22222)/2 = 1.02778 at index 3,
    //         2/3*2.21296 + 1/3*1.02778 = 1.81790, 2/3*4.30710 + 1/3*1.81790 = 3.47737
    const std::vector<double> closes{1, 2, 4, 8, 16, 32};
    const MacdSeries m = macd(closes, 2, 3, 2);
    CHECK_FALSE(m.line[1]);
    CHECK(*m.line[2] == Approx(5.0 / 6.0));
    CHECK(*m.line[5] == Approx(4.30710).epsilon(1e-5));
    CHECK_FALSE(m.signal[2]);
    CHECK(*m.signal[3] == Approx(1.02778).epsilon(1e-5));
    CHECK(*m.signal[5] == Approx(3.47737).epsilon(1e-5));
    CHECK(*m.histogram[3] == Approx(0.19444).epsilon(1e-4));
    CHECK(*m.histogram[5] == Approx(0.82973).epsilon(1e-5));
  }
  SECTION("12/26/9 on a unit ramp: line = 12.5 - 5.5 = 7 from index 25, signal 7 from index 33") {
    // Each EMA lags a slope-1 ramp by (n-1)/2 (see the EMA test), so the line is the
    // difference of the lags, constant; the signal of a constant is that constant.
    const auto closes = ramp(60);
    const MacdSeries m = macd(closes);
    CHECK_FALSE(m.line[24]);
    CHECK(*m.line[25] == Approx(7.0));
    CHECK_FALSE(m.signal[32]);
    CHECK(*m.signal[33] == Approx(7.0));
    CHECK(*last_value(m.histogram) == Approx(0.0).margin(1e-9));
  }
  SECTION("too little history leaves everything empty") {
    const MacdSeries m = macd(ramp(25));
    CHECK(all_empty(m.line));
    CHECK(all_empty(m.signal));
    CHECK(all_empty(m.histogram));
  }
}

TEST_CASE("Bollinger Bands use the population standard deviation", "[analysis][bollinger]") {
  SECTION("2,4,4,4,5,5,7,9 has mean 5 and population sigma 2") {
    // squared deviations 9+1+1+1+0+0+4+16 = 32, /8 = 4, sigma = 2 (sample sigma would be 2.138)
    const std::vector<double> closes{2, 4, 4, 4, 5, 5, 7, 9};
    const BollingerSeries b = bollinger(closes, 8, 2.0);
    CHECK(*b.middle[7] == Approx(5.0));
    CHECK(*b.upper[7] == Approx(9.0));
    CHECK(*b.lower[7] == Approx(1.0));
    CHECK(*b.percent_b[7] == Approx(1.0));  // close 9 sits on the upper band
    CHECK(*b.bandwidth[7] == Approx(1.6));  // (9-1)/5
    CHECK_FALSE(b.middle[6]);
  }
  SECTION("20-bar ramp 1..20: sigma^2 = (n^2-1)/12 = 33.25") {
    // sigma = 5.766281, upper = 10.5 + 11.532563 = 22.032563, lower = -1.032563,
    // %B of close 20 = 21.032563/23.065125 = 0.911877, bandwidth = 23.065125/10.5 = 2.196679
    const BollingerSeries b = bollinger(ramp(20));
    CHECK(*b.upper[19] == Approx(22.032563));
    CHECK(*b.lower[19] == Approx(-1.032563));
    CHECK(*b.percent_b[19] == Approx(0.911877));
    CHECK(*b.bandwidth[19] == Approx(2.196679));
  }
  SECTION("a flat window has zero width: %B undefined, bandwidth 0") {
    const BollingerSeries b = bollinger(std::vector<double>(20, 3.0));
    CHECK(*b.upper[19] == Approx(3.0));
    CHECK_FALSE(b.percent_b[19]);
    CHECK(*b.bandwidth[19] == Approx(0.0));
  }
  SECTION("a zero middle band leaves bandwidth undefined") {
    const std::vector<double> closes{-1, 1, -1, 1};
    const BollingerSeries b = bollinger(closes, 4);
    CHECK(*b.middle[3] == Approx(0.0));
    CHECK_FALSE(b.bandwidth[3]);
    CHECK(*b.percent_b[3] == Approx(0.75));  // sigma 1, bands -2..2, close 1
  }
}

TEST_CASE("ATR is the Wilder-smoothed true range", "[analysis][atr]") {
  SECTION("constant 2-point ranges with no gaps give ATR 2") {
    std::vector<Candle> candles;
    for (int i = 0; i < 30; ++i) candles.push_back(bar(101, 99, 100));
    CHECK(*last_value(atr(candles)) == Approx(2.0));
  }
  SECTION("hand example with n = 3 and a gap up") {
    // TR: bar0 10-8 = 2; bar1 max(2, |11-9|, |9-9|) = 2; bar2 max(2, 1.5, 0.5) = 2
    // ATR at index 2 = 2.
    // bar3 (gap up) max(3, |15-11| = 4, 1) = 4 -> ATR (2*2 + 4)/3 = 8/3
    // bar4 max(1, |13-14| = 1, |12-14| = 2) = 2 -> ATR (8/3*2 + 2)/3 = 22/9
    const std::vector<Candle> candles{bar(10, 8, 9), bar(11, 9, 10.5), bar(12, 10, 11),
                                      bar(15, 12, 14), bar(13, 12, 12.5)};
    const Series tr = true_range(candles);
    CHECK(*tr[0] == Approx(2.0));
    CHECK(*tr[3] == Approx(4.0));
    CHECK(*tr[4] == Approx(2.0));
    const Series a = atr(candles, 3);
    CHECK_FALSE(a[1]);
    CHECK(*a[2] == Approx(2.0));
    CHECK(*a[3] == Approx(8.0 / 3.0));
    CHECK(*a[4] == Approx(22.0 / 9.0));
  }
  SECTION("a candle with a NaN close is a gap") {
    std::vector<Candle> candles{bar(10, 8, 9), bar(11, 9, kNaN), bar(12, 10, 11), bar(13, 11, 12)};
    const Series tr = true_range(candles);
    CHECK_FALSE(tr[1]);
    CHECK(*tr[2] == Approx(2.0));  // no previous close after the gap: high - low
    const Series a = atr(candles, 2);
    CHECK_FALSE(a[2]);
    CHECK(*a[3] == Approx(2.0));
  }
}

TEST_CASE("ADX follows Wilder's directional movement system", "[analysis][adx]") {
  SECTION("hand example with n = 2") {
    // bar (H, L, C):   +DM  -DM  TR
    // 0 (10, 9, 9.5)
    // 1 (11, 9.5, 10.5) 1    0    1.5
    // 2 (11.5, 10, 10.2) .5  0    1.5  sums TR 3, +DM 1.5, -DM 0 -> +DI 50, -DI 0, DX 100
    // 3 (11, 9, 9.2)    0    1    2    TR 3-1.5+2 = 3.5, +DM .75, -DM 1
    //                                  +DI 21.428571, -DI 28.571429, DX 14.285714
    //                                  ADX = (100 + 14.285714)/2 = 57.142857
    // 4 (10, 8.5, 9)    0    .5   1.5  TR 3.25, +DM .375, -DM 1
    //                                  +DI 11.538462, -DI 30.769231, DX 45.454545
    //                                  ADX = (57.142857 + 45.454545)/2 = 51.298701
    const std::vector<Candle> candles{bar(10, 9, 9.5), bar(11, 9.5, 10.5), bar(11.5, 10, 10.2),
                                      bar(11, 9, 9.2), bar(10, 8.5, 9)};
    const AdxSeries a = adx(candles, 2);
    CHECK_FALSE(a.plus_di[1]);
    CHECK(*a.plus_di[2] == Approx(50.0));
    CHECK(*a.minus_di[2] == Approx(0.0));
    CHECK_FALSE(a.adx[2]);
    CHECK(*a.plus_di[3] == Approx(21.428571));
    CHECK(*a.minus_di[3] == Approx(28.571429));
    CHECK(*a.adx[3] == Approx(57.142857));
    CHECK(*a.plus_di[4] == Approx(11.538462));
    CHECK(*a.minus_di[4] == Approx(30.769231));
    CHECK(*a.adx[4] == Approx(51.298701));
  }
  SECTION("a steady staircase up: +DM 1 and TR 2 each bar -> +DI 50, -DI 0, ADX 100") {
    std::vector<Candle> candles;
    for (int i = 0; i < 40; ++i) candles.push_back(bar(i + 2, i, i + 1));
    const AdxSeries a = adx(candles);
    CHECK_FALSE(a.adx[26]);
    CHECK(*a.adx[27] == Approx(100.0));  // first ADX at 2n-1
    CHECK(*last_value(a.plus_di) == Approx(50.0));
    CHECK(*last_value(a.minus_di) == Approx(0.0));
  }
  SECTION("identical flat candles: no range, no movement -> DI 0 and ADX 0 by convention") {
    const std::vector<Candle> candles(40, bar(5, 5, 5));
    const AdxSeries a = adx(candles);
    CHECK(*last_value(a.plus_di) == Approx(0.0));
    CHECK(*last_value(a.adx) == Approx(0.0));
  }
}

TEST_CASE("Historical volatility annualizes the sample stdev of log returns", "[analysis][hv]") {
  SECTION("alternating +1% / -1% log returns") {
    // 4 returns +.01 -.01 +.01 -.01: mean 0, sum of squares 4e-4, sample variance
    // 4e-4/3, stdev 0.0115470, * sqrt(252) = 0.183303
    std::vector<double> closes;
    for (int i = 0; i < 5; ++i) closes.push_back(i % 2 == 0 ? 100.0 : 100.0 * std::exp(0.01));
    const Series hv = historical_volatility(closes, 4, 252);
    CHECK_FALSE(hv[3]);
    CHECK(*hv[4] == Approx(0.183303).epsilon(1e-5));
    // Weekly bars: the same returns scale by sqrt(52) instead.
    CHECK(*historical_volatility(closes, 4, 52)[4] ==
          Approx(0.0115470 * std::sqrt(52.0)).epsilon(1e-5));
  }
  SECTION("constant growth has zero volatility") {
    const std::vector<double> closes{100, 110, 121, 133.1};
    CHECK(*last_value(historical_volatility(closes, 3)) == Approx(0.0).margin(1e-9));
  }
  SECTION("zero, negative or NaN closes are gaps; bad parameters give nothing") {
    const std::vector<double> closes{100, 101, 0, 102, 103, 104};
    const Series hv = historical_volatility(closes, 2);
    CHECK_FALSE(hv[2]);
    CHECK_FALSE(hv[3]);
    CHECK_FALSE(hv[4]);
    CHECK(hv[5].has_value());
    CHECK(all_empty(historical_volatility(ramp(30), 1)));
    CHECK(all_empty(historical_volatility(ramp(30), 20, 0)));
    CHECK(all_empty(historical_volatility(ramp(30), 20, kNaN)));
  }
}

TEST_CASE("indicators tolerate empty and hostile input", "[analysis][degenerate]") {
  const std::vector<double> none;
  const std::vector<Candle> no_candles;
  CHECK(sma(none, 5).empty());
  CHECK(ema(none, 5).empty());
  CHECK(rsi(none).empty());
  CHECK(macd(none).line.empty());
  CHECK(bollinger(none).middle.empty());
  CHECK(atr(no_candles).empty());
  CHECK(adx(no_candles).adx.empty());
  CHECK(historical_volatility(none).empty());

  const std::vector<double> all_nan(50, kNaN);
  CHECK(all_empty(ema(all_nan, 5)));
  CHECK(all_empty(rsi(all_nan)));
  CHECK(all_empty(bollinger(all_nan).upper));
  const std::vector<Candle> nan_candles(50, bar(kNaN, kNaN, kNaN));
  CHECK(all_empty(atr(nan_candles)));
  CHECK(all_empty(adx(nan_candles).adx));

  const std::vector<double> infinite{1, std::numeric_limits<double>::infinity(), 3, 4};
  const Series s = sma(infinite, 2);
  CHECK_FALSE(s[1]);
  CHECK_FALSE(s[2]);
  CHECK(*s[3] == Approx(3.5));
}
