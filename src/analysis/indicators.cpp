#include "analysis/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bmcp::analysis {
namespace {

// A maximal stretch [begin, end) of good inputs. Each indicator runs independently
// on every stretch, which is what makes a gap restart the warm-up.
struct Run {
  std::size_t begin;
  std::size_t end;
};

template <class IsGood>
std::vector<Run> good_runs(std::size_t size, IsGood is_good) {
  std::vector<Run> runs;
  std::size_t i = 0;
  while (i < size) {
    while (i < size && !is_good(i)) ++i;
    const std::size_t begin = i;
    while (i < size && is_good(i)) ++i;
    if (i > begin) runs.push_back({begin, i});
  }
  return runs;
}

std::vector<Run> finite_runs(std::span<const double> values) {
  return good_runs(values.size(), [&](std::size_t i) { return std::isfinite(values[i]); });
}

bool is_good_candle(const Candle& c) {
  return std::isfinite(c.high) && std::isfinite(c.low) && std::isfinite(c.close);
}

std::vector<Run> candle_runs(std::span<const Candle> candles) {
  return good_runs(candles.size(), [&](std::size_t i) { return is_good_candle(candles[i]); });
}

double mean_of(std::span<const double> values, std::size_t begin, std::size_t count) {
  double sum = 0;
  for (std::size_t i = begin; i < begin + count; ++i) sum += values[i];
  return sum / static_cast<double>(count);
}

double true_range_at(std::span<const Candle> candles, std::size_t i, bool has_previous) {
  const Candle& c = candles[i];
  double range = c.high - c.low;
  if (has_previous) {
    const double previous_close = candles[i - 1].close;
    range =
        std::max({range, std::fabs(c.high - previous_close), std::fabs(c.low - previous_close)});
  }
  return range;
}

double rsi_from_averages(double average_gain, double average_loss) {
  if (average_loss == 0) return average_gain == 0 ? 50.0 : 100.0;
  return 100.0 - 100.0 / (1.0 + average_gain / average_loss);
}

std::vector<double> with_gaps_as_nan(const Series& series) {
  std::vector<double> values(series.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (series[i]) values[i] = *series[i];
  }
  return values;
}

}  // namespace

std::optional<double> last_value(const Series& series) {
  if (series.empty()) return std::nullopt;
  return series.back();
}

std::vector<double> closes_of(std::span<const Candle> candles) {
  std::vector<double> closes;
  closes.reserve(candles.size());
  for (const Candle& c : candles) closes.push_back(c.close);
  return closes;
}

Series sma(std::span<const double> values, std::size_t period) {
  Series out(values.size());
  if (period == 0) return out;
  for (const Run& run : finite_runs(values)) {
    // Each window is summed afresh: a rolling sum would accumulate rounding error
    // over long histories, and the windows used here are short.
    for (std::size_t i = run.begin + period - 1; i < run.end; ++i) {
      out[i] = mean_of(values, i + 1 - period, period);
    }
  }
  return out;
}

Series ema(std::span<const double> values, std::size_t period) {
  Series out(values.size());
  if (period == 0) return out;
  const double alpha = 2.0 / (static_cast<double>(period) + 1.0);
  for (const Run& run : finite_runs(values)) {
    if (run.end - run.begin < period) continue;
    const std::size_t seed_index = run.begin + period - 1;
    double value = mean_of(values, run.begin, period);
    out[seed_index] = value;
    for (std::size_t i = seed_index + 1; i < run.end; ++i) {
      value = alpha * values[i] + (1.0 - alpha) * value;
      out[i] = value;
    }
  }
  return out;
}

Series rsi(std::span<const double> closes, std::size_t period) {
  Series out(closes.size());
  if (period == 0) return out;
  const double n = static_cast<double>(period);
  for (const Run& run : finite_runs(closes)) {
    // `period` changes need period+1 closes.
    if (run.end - run.begin < period + 1) continue;
    double gain_sum = 0;
    double loss_sum = 0;
    for (std::size_t i = run.begin + 1; i <= run.begin + period; ++i) {
      const double change = closes[i] - closes[i - 1];
      if (change > 0) gain_sum += change;
      else loss_sum -= change;
    }
    double average_gain = gain_sum / n;
    double average_loss = loss_sum / n;
    out[run.begin + period] = rsi_from_averages(average_gain, average_loss);
    for (std::size_t i = run.begin + period + 1; i < run.end; ++i) {
      const double change = closes[i] - closes[i - 1];
      const double gain = change > 0 ? change : 0.0;
      const double loss = change < 0 ? -change : 0.0;
      average_gain = (average_gain * (n - 1.0) + gain) / n;
      average_loss = (average_loss * (n - 1.0) + loss) / n;
      out[i] = rsi_from_averages(average_gain, average_loss);
    }
  }
  return out;
}

MacdSeries macd(std::span<const double> closes, std::size_t fast_period, std::size_t slow_period,
                std::size_t signal_period) {
  MacdSeries out;
  const Series fast = ema(closes, fast_period);
  const Series slow = ema(closes, slow_period);
  out.line.resize(closes.size());
  for (std::size_t i = 0; i < closes.size(); ++i) {
    if (fast[i] && slow[i]) out.line[i] = *fast[i] - *slow[i];
  }
  const std::vector<double> line_values = with_gaps_as_nan(out.line);
  out.signal = ema(line_values, signal_period);
  out.histogram.resize(closes.size());
  for (std::size_t i = 0; i < closes.size(); ++i) {
    if (out.line[i] && out.signal[i]) out.histogram[i] = *out.line[i] - *out.signal[i];
  }
  return out;
}

BollingerSeries bollinger(std::span<const double> closes, std::size_t period, double width) {
  BollingerSeries out;
  const std::size_t size = closes.size();
  out.middle.resize(size);
  out.upper.resize(size);
  out.lower.resize(size);
  out.percent_b.resize(size);
  out.bandwidth.resize(size);
  if (period == 0 || !std::isfinite(width)) return out;
  for (const Run& run : finite_runs(closes)) {
    for (std::size_t i = run.begin + period - 1; i < run.end; ++i) {
      const std::size_t first = i + 1 - period;
      const double middle = mean_of(closes, first, period);
      double squares = 0;
      for (std::size_t j = first; j <= i; ++j)
        squares += (closes[j] - middle) * (closes[j] - middle);
      // Population standard deviation, as Bollinger defines the bands.
      const double sigma = std::sqrt(squares / static_cast<double>(period));
      const double upper = middle + width * sigma;
      const double lower = middle - width * sigma;
      out.middle[i] = middle;
      out.upper[i] = upper;
      out.lower[i] = lower;
      if (upper != lower) out.percent_b[i] = (closes[i] - lower) / (upper - lower);
      if (middle != 0) out.bandwidth[i] = (upper - lower) / middle;
    }
  }
  return out;
}

Series true_range(std::span<const Candle> candles) {
  Series out(candles.size());
  for (const Run& run : candle_runs(candles)) {
    for (std::size_t i = run.begin; i < run.end; ++i) {
      out[i] = true_range_at(candles, i, i > run.begin);
    }
  }
  return out;
}

Series atr(std::span<const Candle> candles, std::size_t period) {
  Series out(candles.size());
  if (period == 0) return out;
  const double n = static_cast<double>(period);
  for (const Run& run : candle_runs(candles)) {
    if (run.end - run.begin < period) continue;
    double sum = 0;
    for (std::size_t i = run.begin; i < run.begin + period; ++i) {
      sum += true_range_at(candles, i, i > run.begin);
    }
    double value = sum / n;
    out[run.begin + period - 1] = value;
    for (std::size_t i = run.begin + period; i < run.end; ++i) {
      value = (value * (n - 1.0) + true_range_at(candles, i, true)) / n;
      out[i] = value;
    }
  }
  return out;
}

AdxSeries adx(std::span<const Candle> candles, std::size_t period) {
  AdxSeries out;
  out.adx.resize(candles.size());
  out.plus_di.resize(candles.size());
  out.minus_di.resize(candles.size());
  if (period == 0) return out;
  const double n = static_cast<double>(period);
  for (const Run& run : candle_runs(candles)) {
    if (run.end - run.begin < period + 1) continue;
    double tr_sum = 0;
    double plus_sum = 0;
    double minus_sum = 0;
    double dx_sum = 0;
    double adx_value = 0;
    for (std::size_t i = run.begin + 1; i < run.end; ++i) {
      const std::size_t step = i - run.begin;  // 1-based count of directional moves
      const double up = candles[i].high - candles[i - 1].high;
      const double down = candles[i - 1].low - candles[i].low;
      const double plus_dm = (up > down && up > 0) ? up : 0.0;
      const double minus_dm = (down > up && down > 0) ? down : 0.0;
      const double tr = true_range_at(candles, i, true);
      if (step <= period) {
        tr_sum += tr;
        plus_sum += plus_dm;
        minus_sum += minus_dm;
        if (step < period) continue;
      } else {
        tr_sum = tr_sum - tr_sum / n + tr;
        plus_sum = plus_sum - plus_sum / n + plus_dm;
        minus_sum = minus_sum - minus_sum / n + minus_dm;
      }
      const double plus_di = tr_sum > 0 ? 100.0 * plus_sum / tr_sum : 0.0;
      const double minus_di = tr_sum > 0 ? 100.0 * minus_sum / tr_sum : 0.0;
      const double di_sum = plus_di + minus_di;
      const double dx = di_sum > 0 ? 100.0 * std::fabs(plus_di - minus_di) / di_sum : 0.0;
      out.plus_di[i] = plus_di;
      out.minus_di[i] = minus_di;
      // DX values are counted from the first DI (step == period).
      const std::size_t dx_count = step - period + 1;
      if (dx_count < period) {
        dx_sum += dx;
      } else if (dx_count == period) {
        adx_value = (dx_sum + dx) / n;
        out.adx[i] = adx_value;
      } else {
        adx_value = (adx_value * (n - 1.0) + dx) / n;
        out.adx[i] = adx_value;
      }
    }
  }
  return out;
}

Series historical_volatility(std::span<const double> closes, std::size_t period,
                             double periods_per_year) {
  Series out(closes.size());
  if (period < 2 || !std::isfinite(periods_per_year) || periods_per_year <= 0) return out;
  const double annualize = std::sqrt(periods_per_year);
  const auto runs = good_runs(
      closes.size(), [&](std::size_t i) { return std::isfinite(closes[i]) && closes[i] > 0; });
  for (const Run& run : runs) {
    for (std::size_t i = run.begin + period; i < run.end; ++i) {
      // Returns ending at i-period+1 .. i.
      double sum = 0;
      for (std::size_t j = i + 1 - period; j <= i; ++j) sum += std::log(closes[j] / closes[j - 1]);
      const double mean = sum / static_cast<double>(period);
      double squares = 0;
      for (std::size_t j = i + 1 - period; j <= i; ++j) {
        const double deviation = std::log(closes[j] / closes[j - 1]) - mean;
        squares += deviation * deviation;
      }
      out[i] = std::sqrt(squares / static_cast<double>(period - 1)) * annualize;
    }
  }
  return out;
}

}  // namespace bmcp::analysis
