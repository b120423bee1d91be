#include "analysis/chart_summary.hpp"

#include "analysis/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bmcp::analysis {
namespace {

// Customary thresholds: RSI 70/30 (Wilder 1978); ADX of 25 and more a trending
// market, below 20 a trendless one (the common reading of Wilder's ADX).
constexpr double kRsiOverbought = 70;
constexpr double kRsiOversold = 30;
constexpr double kAdxStrong = 25;
constexpr double kAdxWeak = 20;

bool is_usable(const Candle& c) {
  const double prices[] = {c.open, c.high, c.low, c.close};
  for (double p : prices) {
    if (!std::isfinite(p) || p <= 0) return false;
  }
  return c.high >= c.low;
}

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

std::string price_text(double value) { return format("%.2f", value); }

const char* bar_unit(double periods_per_year) {
  if (periods_per_year >= 250 && periods_per_year <= 366) return "day";
  if (periods_per_year == 52) return "week";
  if (periods_per_year == 12) return "month";
  return "bar";
}

enum class Side { kAbove, kBelow, kAt };

Side side_of(double price, double level) {
  if (price > level) return Side::kAbove;
  if (price < level) return Side::kBelow;
  return Side::kAt;
}

const char* side_word(Side side) {
  switch (side) {
    case Side::kAbove: return "above";
    case Side::kBelow: return "below";
    case Side::kAt: return "at";
  }
  return "at";
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// Fills `a.trend` and returns the trend clause.
std::string describe_trend(ChartAnalysis& a, const std::string& unit) {
  const double close = *a.last_close;
  const std::string price = "Price " + price_text(close);
  if (a.sma50 && a.sma200) {
    const Side s50 = side_of(close, *a.sma50);
    const Side s200 = side_of(close, *a.sma200);
    if (s50 == Side::kAbove && s200 == Side::kAbove) {
      a.trend = TrendDirection::kUp;
      return price + " is above its 50- and 200-" + unit + " averages (uptrend)";
    }
    if (s50 == Side::kBelow && s200 == Side::kBelow) {
      a.trend = TrendDirection::kDown;
      return price + " is below its 50- and 200-" + unit + " averages (downtrend)";
    }
    a.trend = TrendDirection::kMixed;
    return price + " is " + side_word(s50) + " its 50-" + unit + " average and " + side_word(s200) +
           " its 200-" + unit + " average (mixed trend)";
  }
  if (a.sma50) {
    const Side s50 = side_of(close, *a.sma50);
    a.trend = s50 == Side::kAbove   ? TrendDirection::kUp
              : s50 == Side::kBelow ? TrendDirection::kDown
                                    : TrendDirection::kMixed;
    const char* reading = s50 == Side::kAbove   ? " (uptrend on the 50-"
                          : s50 == Side::kBelow ? " (downtrend on the 50-"
                                                : " (no direction on the 50-";
    return price + " is " + side_word(s50) + " its 50-" + unit + " average" + reading + unit +
           " average alone)";
  }
  a.trend = TrendDirection::kUnknown;
  return price + ": trend unknown, too little history for the 50-" + unit + " average";
}

std::string describe_rsi(double rsi) {
  const std::string text = "RSI " + format("%.0f", rsi);
  if (rsi >= kRsiOverbought) return text + " is overbought";
  if (rsi <= kRsiOversold) return text + " is oversold";
  return text + " is neutral";
}

std::string describe_macd(const MacdValues& m) {
  if (m.line > m.signal) return "MACD above signal (bullish momentum)";
  if (m.line < m.signal) return "MACD below signal (bearish momentum)";
  return "MACD on its signal line";
}

std::string describe_adx(const AdxValues& a) {
  const std::string text = "ADX " + format("%.0f", *a.adx);
  const char* leader = a.plus_di > a.minus_di   ? ", +DI above -DI"
                       : a.plus_di < a.minus_di ? ", -DI above +DI"
                                                : "";
  if (*a.adx >= kAdxStrong) return text + " shows a strong trend" + leader;
  if (*a.adx < kAdxWeak) return text + " shows a weak or no trend";
  return text + " shows a developing trend" + leader;
}

}  // namespace

PreparedCandles prepare_candles(std::span<const Candle> candles) {
  PreparedCandles out;
  out.candles.reserve(candles.size());
  for (const Candle& c : candles) {
    if (is_usable(c)) out.candles.push_back(c);
  }
  std::stable_sort(out.candles.begin(), out.candles.end(),
                   [](const Candle& a, const Candle& b) { return a.time_ms < b.time_ms; });
  // Of equal times keep the last one given: stable_sort kept their input order.
  std::vector<Candle> unique;
  unique.reserve(out.candles.size());
  for (const Candle& c : out.candles) {
    if (!unique.empty() && unique.back().time_ms == c.time_ms) unique.back() = c;
    else unique.push_back(c);
  }
  out.candles = std::move(unique);
  out.dropped = candles.size() - out.candles.size();
  return out;
}

ChartAnalysis analyze_chart(const std::vector<Candle>& input, double periods_per_year) {
  ChartAnalysis a;
  const PreparedCandles prepared = prepare_candles(input);
  const std::vector<Candle>& candles = prepared.candles;
  a.candle_count = candles.size();
  a.ignored_candles = prepared.dropped;

  const std::string ignored_note =
      prepared.dropped > 0 ? "Ignored " + std::to_string(prepared.dropped) +
                                 " candle(s) with missing or invalid prices or repeated times. "
                           : std::string();
  if (candles.empty()) {
    a.summary = ignored_note + "No usable price history: nothing to analyze.";
    return a;
  }

  const std::vector<double> closes = closes_of(candles);
  const Candle& newest = candles.back();
  a.last_time_ms = newest.time_ms;
  a.last_close = newest.close;
  if (candles.size() >= 2) {
    a.change_percent = 100.0 * (newest.close / candles[candles.size() - 2].close - 1.0);
  }

  auto note_missing = [&](const std::optional<double>& value, const char* name) {
    if (!value) a.insufficient_history.push_back(name);
  };
  a.sma20 = last_value(sma(closes, 20));
  a.sma50 = last_value(sma(closes, 50));
  a.sma200 = last_value(sma(closes, 200));
  a.ema20 = last_value(ema(closes, 20));
  a.rsi14 = last_value(rsi(closes, 14));
  note_missing(a.sma20, "sma20");
  note_missing(a.sma50, "sma50");
  note_missing(a.sma200, "sma200");
  note_missing(a.ema20, "ema20");
  note_missing(a.rsi14, "rsi14");

  const MacdSeries m = macd(closes);
  if (m.line.back() && m.signal.back() && m.histogram.back()) {
    a.macd = MacdValues{*m.line.back(), *m.signal.back(), *m.histogram.back()};
  } else {
    a.insufficient_history.push_back("macd");
  }

  const BollingerSeries b = bollinger(closes);
  if (b.middle.back()) {
    a.bollinger = BollingerValues{*b.middle.back(), *b.upper.back(), *b.lower.back(),
                                  b.percent_b.back(), b.bandwidth.back()};
  } else {
    a.insufficient_history.push_back("bollinger");
  }

  a.atr14 = last_value(atr(candles));
  note_missing(a.atr14, "atr14");
  if (a.atr14) a.atr_percent = 100.0 * *a.atr14 / newest.close;

  const AdxSeries d = adx(candles);
  if (d.plus_di.back() && d.minus_di.back()) {
    a.adx14 = AdxValues{d.adx.back(), *d.plus_di.back(), *d.minus_di.back()};
  }
  if (!a.adx14 || !a.adx14->adx) a.insufficient_history.push_back("adx14");

  a.historical_volatility = last_value(historical_volatility(closes, 20, periods_per_year));
  if (!a.historical_volatility && std::isfinite(periods_per_year) && periods_per_year > 0) {
    a.insufficient_history.push_back("historical_volatility");
  }

  if (candles.size() >= 2) a.pivots = floor_pivots(candles[candles.size() - 2]);
  else a.insufficient_history.push_back("pivots");
  a.levels = support_resistance_levels(candles, newest.close);
  a.range_52_week = fifty_two_week_range(candles);

  // The summary: trend, momentum, volatility, levels, then what is missing.
  const std::string unit = bar_unit(periods_per_year);
  std::vector<std::string> clauses;
  clauses.push_back(describe_trend(a, unit));
  if (a.rsi14) clauses.push_back(describe_rsi(*a.rsi14));
  if (a.macd) clauses.push_back(describe_macd(*a.macd));
  if (a.adx14 && a.adx14->adx) clauses.push_back(describe_adx(*a.adx14));
  if (a.bollinger && a.bollinger->percent_b) {
    if (*a.bollinger->percent_b > 1) clauses.push_back("close above the upper Bollinger Band");
    else if (*a.bollinger->percent_b < 0) clauses.push_back("close below the lower Bollinger Band");
  }
  if (a.historical_volatility) {
    clauses.push_back("20-" + unit + " historical volatility " +
                      format("%.0f%%", 100.0 * *a.historical_volatility));
  }
  if (a.range_52_week && a.range_52_week->position && a.range_52_week->covers_full_window) {
    clauses.push_back("close is " + format("%.0f%%", 100.0 * *a.range_52_week->position) +
                      " of the way up its 52-week range (" + price_text(a.range_52_week->low) +
                      "-" + price_text(a.range_52_week->high) + ")");
  }
  if (!a.levels.support.empty()) {
    clauses.push_back("nearest support " + price_text(a.levels.support.front()));
  }
  if (!a.levels.resistance.empty()) {
    clauses.push_back("nearest resistance " + price_text(a.levels.resistance.front()));
  }
  std::string summary = ignored_note + join(clauses, "; ") + ".";
  if (!a.insufficient_history.empty()) {
    summary += " Too little history (" + std::to_string(candles.size()) + " " + unit +
               (candles.size() == 1 ? "" : "s") + ") for: " + join(a.insufficient_history, ", ") +
               ".";
  }
  a.summary = std::move(summary);
  return a;
}

}  // namespace bmcp::analysis
