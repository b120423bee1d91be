// The chart analysis behind the `analyze_chart` tool: the newest value of every
// indicator over a candle history, key price levels, and a plain-words trend and
// momentum summary. Deterministic and pure; a value that needs more history than
// is available is absent (nullopt) and the summary says which ones are missing.
#pragma once

#include "analysis/candle.hpp"
#include "analysis/price_levels.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace bmcp::analysis {

enum class TrendDirection {
  kUnknown,  // too little history for the 50-bar average
  kUp,       // close above the 50- and 200-bar averages (or the 50 alone, if that is all)
  kDown,     // close below them
  kMixed,    // above one, below the other
};

struct MacdValues {
  double line = 0;
  double signal = 0;
  double histogram = 0;
};

struct BollingerValues {
  double middle = 0;
  double upper = 0;
  double lower = 0;
  std::optional<double> percent_b;
  std::optional<double> bandwidth;
};

struct AdxValues {
  std::optional<double> adx;  // needs 2*14 bars; the DIs need only 15
  double plus_di = 0;
  double minus_di = 0;
};

// Every field describes the newest candle of the cleaned history (see
// prepare_candles). Periods are the customary ones: SMA 20/50/200, EMA 20, RSI 14,
// MACD 12/26/9, Bollinger 20/2, ATR 14, ADX 14, HV 20, swings k = 3.
struct ChartAnalysis {
  std::size_t candle_count = 0;     // candles analyzed
  std::size_t ignored_candles = 0;  // dropped by prepare_candles
  std::optional<std::int64_t> last_time_ms;
  std::optional<double> last_close;
  std::optional<double> change_percent;  // newest close vs the one before, in percent

  std::optional<double> sma20;
  std::optional<double> sma50;
  std::optional<double> sma200;
  std::optional<double> ema20;
  std::optional<double> rsi14;
  std::optional<MacdValues> macd;
  std::optional<BollingerValues> bollinger;
  std::optional<double> atr14;
  std::optional<double> atr_percent;  // ATR as a percentage of the close
  std::optional<AdxValues> adx14;
  std::optional<double> historical_volatility;  // 20-bar, annualized fraction (0.25 = 25%)

  // Floor pivots computed from the candle before the newest: the levels in force
  // during the newest candle's period (the newest may still be in progress).
  std::optional<PivotLevels> pivots;
  SupportResistance levels;  // from swing points (k = 3) around the newest close
  std::optional<PriceRange> range_52_week;

  TrendDirection trend = TrendDirection::kUnknown;
  std::vector<std::string> insufficient_history;  // names of the values left absent
  std::string summary;
};

// Candles fit for analysis: open, high, low and close finite and positive, and
// high >= low; sorted by time (stable); of several candles with the same time the
// last one given wins (a live candle is re-sent as it updates). `dropped` counts
// every candle removed.
struct PreparedCandles {
  std::vector<Candle> candles;
  std::size_t dropped = 0;
};
PreparedCandles prepare_candles(std::span<const Candle> candles);

// Analyzes the history. `periods_per_year` annualizes the historical volatility
// and names the bar in the summary: about 252 (trading days) or 365 -> "day",
// 52 -> "week", 12 -> "month", anything else -> "bar". A non-positive or non-finite
// value leaves the volatility absent.
ChartAnalysis analyze_chart(const std::vector<Candle>& candles, double periods_per_year = 252.0);

}  // namespace bmcp::analysis
