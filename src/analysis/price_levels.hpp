// Price levels a trader watches: floor-trader pivot points, swing highs and lows
// (and the support and resistance they imply), and the trailing 52-week range.
// Pure functions over candles in ascending time order; candles whose high, low or
// close is not finite are ignored. Insufficient data gives nullopt or empty lists.
#pragma once

#include "analysis/candle.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace bmcp::analysis {

// Classic (floor) pivot points from the previous period's high, low and close:
//   P  = (H + L + C)/3
//   R1 = 2P - L        S1 = 2P - H
//   R2 = P + (H - L)   S2 = P - (H - L)
//   R3 = H + 2(P - L)  S3 = L - 2(H - P)
struct PivotLevels {
  double pivot = 0;
  double r1 = 0;
  double r2 = 0;
  double r3 = 0;
  double s1 = 0;
  double s2 = 0;
  double s3 = 0;
};

// nullopt when an input is not finite or high < low.
std::optional<PivotLevels> floor_pivots(double high, double low, double close);
std::optional<PivotLevels> floor_pivots(const Candle& previous_period);

struct SwingPoint {
  std::size_t index = 0;  // position in the input
  std::int64_t time_ms = 0;
  double price = 0;
};

struct SwingPoints {
  std::vector<SwingPoint> highs;  // in input order
  std::vector<SwingPoint> lows;   // in input order
};

// A swing high is a candle whose high is the highest of the `k` candles on each side
// of it: strictly above the k before, at least as high as the k after (so a flat top
// counts once, at its first bar). Swing lows mirror this on the lows. A candle needs
// k good candles on both sides to qualify, so the newest k candles are never swings
// (they are not yet confirmed). k = 0 finds nothing.
SwingPoints find_swing_points(std::span<const Candle> candles, std::size_t k = 3);

// Support: distinct swing-low prices below `reference_price`, nearest first.
// Resistance: distinct swing-high prices above it, nearest first. At most
// `max_levels` of each.
struct SupportResistance {
  std::vector<double> support;
  std::vector<double> resistance;
};
SupportResistance support_resistance_levels(std::span<const Candle> candles, double reference_price,
                                            std::size_t k = 3, std::size_t max_levels = 3);

// The high/low over a trailing time window that ends at the newest good candle, and
// where the newest close sits in it: position = (close - low)/(high - low), 0 at the
// low and 1 at the high, empty when high == low. `covers_full_window` is false when
// the history starts later than the window does (the range is then a partial one).
struct PriceRange {
  double high = 0;
  double low = 0;
  double last_close = 0;
  std::optional<double> position;
  bool covers_full_window = false;
  std::size_t candle_count = 0;  // candles inside the window
};

// Candles with time_ms >= newest_time - window_ms. nullopt when there is no good
// candle or window_ms <= 0.
std::optional<PriceRange> trailing_range(std::span<const Candle> candles, std::int64_t window_ms);

// 52 weeks = 364 days, the convention of quote services' "52-week high/low".
inline constexpr std::int64_t kFiftyTwoWeeksMs = 364LL * 24 * 60 * 60 * 1000;
std::optional<PriceRange> fifty_two_week_range(std::span<const Candle> candles);

}  // namespace bmcp::analysis
