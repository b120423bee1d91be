// Pivot points, swing points, support/resistance and the 52-week range on small
// series whose answers are worked out by hand in the comments.
#include "analysis/price_levels.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <vector>

using namespace bmcp::analysis;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

Candle hl(double high, double low, std::int64_t time_ms = 0) {
  const double mid = (high + low) / 2;
  return Candle{time_ms, mid, high, low, mid, 0};
}

}  // namespace

TEST_CASE("floor pivots come from the previous period's high, low and close",
          "[analysis][pivots]") {
  SECTION("symmetric bar H 110, L 90, C 100") {
    // P = 100; R1 = 200-90 = 110; S1 = 200-110 = 90; R2 = 100+20; S2 = 100-20;
    // R3 = 110 + 2*(100-90) = 130; S3 = 90 - 2*(110-100) = 70
    const auto p = floor_pivots(110, 90, 100);
    REQUIRE(p);
    CHECK(p->pivot == Approx(100));
    CHECK(p->r1 == Approx(110));
    CHECK(p->s1 == Approx(90));
    CHECK(p->r2 == Approx(120));
    CHECK(p->s2 == Approx(80));
    CHECK(p->r3 == Approx(130));
    CHECK(p->s3 == Approx(70));
  }
  SECTION("close near the high: H 12, L 8, C 11") {
    // P = 31/3 = 10.3333; R1 = 62/3 - 8 = 12.6667; S1 = 62/3 - 12 = 8.6667;
    // R2 = 10.3333 + 4 = 14.3333; S2 = 6.3333; R3 = 12 + 2*(7/3) = 16.6667;
    // S3 = 8 - 2*(5/3) = 4.6667
    const auto p = floor_pivots(Candle{0, 9, 12, 8, 11, 0});
    REQUIRE(p);
    CHECK(p->pivot == Approx(31.0 / 3.0));
    CHECK(p->r1 == Approx(38.0 / 3.0));
    CHECK(p->s1 == Approx(26.0 / 3.0));
    CHECK(p->r2 == Approx(43.0 / 3.0));
    CHECK(p->s2 == Approx(19.0 / 3.0));
    CHECK(p->r3 == Approx(50.0 / 3.0));
    CHECK(p->s3 == Approx(14.0 / 3.0));
  }
  SECTION("inverted or non-finite bars give nothing") {
    CHECK_FALSE(floor_pivots(90, 110, 100));
    CHECK_FALSE(floor_pivots(kNaN, 90, 100));
    CHECK_FALSE(floor_pivots(110, 90, std::numeric_limits<double>::infinity()));
  }
}

TEST_CASE("swing points are local extremes over k bars each side", "[analysis][swings]") {
  SECTION("one peak and one trough with k = 2") {
    // highs 1 2 5 2 1 3 1, lows one below: the 5 at index 2 beats 1, 2 before and
    // 2, 1 after; the low 0 at index 4 is below 4, 1 before and 2, 0 after (a tie on
    // the right is allowed). Indexes 0, 1, 5, 6 lack two neighbours on one side.
    const double highs[] = {1, 2, 5, 2, 1, 3, 1};
    std::vector<Candle> candles;
    for (int i = 0; i < 7; ++i) candles.push_back(hl(highs[i], highs[i] - 1, i * kDayMs));
    const SwingPoints s = find_swing_points(candles, 2);
    REQUIRE(s.highs.size() == 1);
    CHECK(s.highs[0].index == 2);
    CHECK(s.highs[0].price == 5);
    CHECK(s.highs[0].time_ms == 2 * kDayMs);
    REQUIRE(s.lows.size() == 1);
    CHECK(s.lows[0].index == 4);
    CHECK(s.lows[0].price == 0);
  }
  SECTION("a flat top of two equal highs counts once, at its first bar") {
    const double highs[] = {1, 2, 4, 4, 2, 1, 0};
    std::vector<Candle> candles;
    for (double h : highs) candles.push_back(hl(h, h - 1));
    const SwingPoints s = find_swing_points(candles, 2);
    REQUIRE(s.highs.size() == 1);
    CHECK(s.highs[0].index == 2);
  }
  SECTION("a NaN candle inside the window disqualifies the bar") {
    std::vector<Candle> candles{hl(1, 0), hl(2, 1), hl(5, 4), hl(2, 1), hl(kNaN, kNaN)};
    CHECK(find_swing_points(candles, 2).highs.empty());
    CHECK(find_swing_points(candles, 1).highs.size() == 1);
  }
  SECTION("too few candles or k = 0 find nothing") {
    std::vector<Candle> candles{hl(1, 0), hl(2, 1), hl(1, 0)};
    CHECK(find_swing_points(candles, 2).highs.empty());
    CHECK(find_swing_points(candles, 0).highs.empty());
    CHECK(find_swing_points({}, 3).lows.empty());
  }
}

TEST_CASE("support and resistance are the nearest swing levels", "[analysis][levels]") {
  // k = 1. (H, L) per bar:
  // 0 (10, 9)
  // 1 (12, 11)  swing high 12 (10 < 12 >= 11)
  // 2 (11, 8)   swing low 8   (11 > 8 <= 9)
  // 3 (13, 9)   swing high 13 (11 < 13 >= 12)
  // 4 (12, 7)   swing low 7   (9 > 7 <= 10)
  // 5 (14, 10)  swing high 14 (12 < 14 >= 11)
  // 6 (11, 10)  low 10 ties the low before it: not a swing (strict on the left)
  // 7 (12, 10.5) newest bar, unconfirmed
  const std::vector<Candle> candles{hl(10, 9), hl(12, 11), hl(11, 8),  hl(13, 9),
                                    hl(12, 7), hl(14, 10), hl(11, 10), hl(12, 10.5)};
  SECTION("reference 11.5: resistance 12, 13, 14 upward; support 8, 7 downward") {
    const auto levels = support_resistance_levels(candles, 11.5, 1);
    CHECK(levels.resistance == std::vector<double>{12, 13, 14});
    CHECK(levels.support == std::vector<double>{8, 7});
  }
  SECTION("max_levels keeps the nearest ones") {
    const auto levels = support_resistance_levels(candles, 11.5, 1, 2);
    CHECK(levels.resistance == std::vector<double>{12, 13});
  }
  SECTION("a level equal to the reference is neither") {
    const auto levels = support_resistance_levels(candles, 13, 1);
    CHECK(levels.resistance == std::vector<double>{14});
  }
  SECTION("a non-finite reference gives no levels") {
    const auto levels = support_resistance_levels(candles, kNaN, 1);
    CHECK(levels.support.empty());
    CHECK(levels.resistance.empty());
  }
}

TEST_CASE("the 52-week range spans 364 days back from the newest candle", "[analysis][range]") {
  // 400 daily candles, days 0..399, normally H 101 / L 99 / C 100. The window starts at
  // day 399 - 364 = 35 (inclusive). Planted: day 10 high 500 and day 34 low 60 (both
  // outside), day 35 low 70 and day 40 high 130 (inside). Newest close 110.
  // -> high 130, low 70, position (110 - 70)/(130 - 70) = 2/3, 365 candles inside.
  std::vector<Candle> candles;
  for (int day = 0; day < 400; ++day) candles.push_back(Candle{day * kDayMs, 100, 101, 99, 100, 0});
  candles[10].high = 500;
  candles[34].low = 60;
  candles[35].low = 70;
  candles[40].high = 130;
  candles[399] = Candle{399 * kDayMs, 109, 111, 109, 110, 0};

  SECTION("full history") {
    const auto r = fifty_two_week_range(candles);
    REQUIRE(r);
    CHECK(r->high == 130);
    CHECK(r->low == 70);
    CHECK(r->last_close == 110);
    CHECK(*r->position == Approx(2.0 / 3.0));
    CHECK(r->covers_full_window);
    CHECK(r->candle_count == 365);
  }
  SECTION("a shorter history is flagged as partial") {
    const std::vector<Candle> recent(candles.begin() + 300, candles.end());
    const auto r = fifty_two_week_range(recent);
    REQUIRE(r);
    CHECK_FALSE(r->covers_full_window);
    CHECK(r->high == 111);
    CHECK(r->low == 99);
    CHECK(*r->position == Approx(11.0 / 12.0));
  }
  SECTION("a trailing NaN candle is skipped; the newest good candle anchors the window") {
    std::vector<Candle> with_nan = candles;
    with_nan.push_back(Candle{400 * kDayMs, kNaN, kNaN, kNaN, kNaN, 0});
    const auto r = fifty_two_week_range(with_nan);
    REQUIRE(r);
    CHECK(r->last_close == 110);
    CHECK(r->low == 70);
  }
  SECTION("a flat range has no position; no candles or a bad window give nothing") {
    const std::vector<Candle> flat(5, Candle{0, 1, 1, 1, 1, 0});
    const auto r = trailing_range(flat, kDayMs);
    REQUIRE(r);
    CHECK_FALSE(r->position);
    CHECK_FALSE(fifty_two_week_range({}));
    CHECK_FALSE(trailing_range(candles, 0));
  }
}
