#include "analysis/price_levels.hpp"

#include <algorithm>
#include <cmath>

namespace bmcp::analysis {
namespace {

bool is_good_candle(const Candle& c) {
  return std::isfinite(c.high) && std::isfinite(c.low) && std::isfinite(c.close);
}

// True when every candle in [first, last] is good.
bool all_good(std::span<const Candle> candles, std::size_t first, std::size_t last) {
  for (std::size_t i = first; i <= last; ++i) {
    if (!is_good_candle(candles[i])) return false;
  }
  return true;
}

// Keeps distinct levels in the given order, at most `max_levels`.
std::vector<double> distinct_prefix(std::vector<double> levels, std::size_t max_levels) {
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  if (levels.size() > max_levels) levels.resize(max_levels);
  return levels;
}

}  // namespace

std::optional<PivotLevels> floor_pivots(double high, double low, double close) {
  if (!std::isfinite(high) || !std::isfinite(low) || !std::isfinite(close) || high < low) {
    return std::nullopt;
  }
  PivotLevels p;
  p.pivot = (high + low + close) / 3.0;
  p.r1 = 2.0 * p.pivot - low;
  p.s1 = 2.0 * p.pivot - high;
  p.r2 = p.pivot + (high - low);
  p.s2 = p.pivot - (high - low);
  p.r3 = high + 2.0 * (p.pivot - low);
  p.s3 = low - 2.0 * (high - p.pivot);
  return p;
}

std::optional<PivotLevels> floor_pivots(const Candle& previous_period) {
  return floor_pivots(previous_period.high, previous_period.low, previous_period.close);
}

SwingPoints find_swing_points(std::span<const Candle> candles, std::size_t k) {
  SwingPoints out;
  if (k == 0 || candles.size() < 2 * k + 1) return out;
  for (std::size_t i = k; i + k < candles.size(); ++i) {
    if (!all_good(candles, i - k, i + k)) continue;
    bool is_high = true;
    bool is_low = true;
    for (std::size_t j = i - k; j <= i + k && (is_high || is_low); ++j) {
      if (j == i) continue;
      // Strict on the left, non-strict on the right: a flat top or bottom counts once.
      if (j < i) {
        if (candles[j].high >= candles[i].high) is_high = false;
        if (candles[j].low <= candles[i].low) is_low = false;
      } else {
        if (candles[j].high > candles[i].high) is_high = false;
        if (candles[j].low < candles[i].low) is_low = false;
      }
    }
    if (is_high) out.highs.push_back({i, candles[i].time_ms, candles[i].high});
    if (is_low) out.lows.push_back({i, candles[i].time_ms, candles[i].low});
  }
  return out;
}

SupportResistance support_resistance_levels(std::span<const Candle> candles, double reference_price,
                                            std::size_t k, std::size_t max_levels) {
  SupportResistance out;
  if (!std::isfinite(reference_price)) return out;
  const SwingPoints swings = find_swing_points(candles, k);
  std::vector<double> support;
  std::vector<double> resistance;
  for (const SwingPoint& low : swings.lows) {
    if (low.price < reference_price) support.push_back(low.price);
  }
  for (const SwingPoint& high : swings.highs) {
    if (high.price > reference_price) resistance.push_back(high.price);
  }
  std::sort(support.begin(), support.end(), [](double a, double b) { return a > b; });
  std::sort(resistance.begin(), resistance.end());
  out.support = distinct_prefix(std::move(support), max_levels);
  out.resistance = distinct_prefix(std::move(resistance), max_levels);
  return out;
}

std::optional<PriceRange> trailing_range(std::span<const Candle> candles, std::int64_t window_ms) {
  if (window_ms <= 0) return std::nullopt;
  const Candle* newest = nullptr;
  for (const Candle& c : candles) {
    if (is_good_candle(c)) newest = &c;
  }
  if (newest == nullptr) return std::nullopt;
  const std::int64_t window_start = newest->time_ms - window_ms;
  PriceRange range;
  range.last_close = newest->close;
  bool first = true;
  std::int64_t earliest_time = newest->time_ms;
  for (const Candle& c : candles) {
    if (!is_good_candle(c) || c.time_ms < window_start || c.time_ms > newest->time_ms) continue;
    range.high = first ? c.high : std::max(range.high, c.high);
    range.low = first ? c.low : std::min(range.low, c.low);
    first = false;
    ++range.candle_count;
  }
  for (const Candle& c : candles) {
    if (is_good_candle(c)) earliest_time = std::min(earliest_time, c.time_ms);
  }
  range.covers_full_window = earliest_time <= window_start;
  if (range.high > range.low) {
    range.position = (range.last_close - range.low) / (range.high - range.low);
  }
  return range;
}

std::optional<PriceRange> fifty_two_week_range(std::span<const Candle> candles) {
  return trailing_range(candles, kFiftyTwoWeeksMs);
}

}  // namespace bmcp::analysis
