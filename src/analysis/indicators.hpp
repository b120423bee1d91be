// Technical indicators over price history: moving averages, RSI, MACD, Bollinger
// Bands, ATR, ADX and historical volatility. Pure functions, no exceptions.
//
// Conventions shared by every function here:
// - A result is a Series: one std::optional<double> per input element, aligned by
//   index. An element is empty while the indicator is still warming up (too little
//   history) or where it is undefined. `last_value` reads the newest element.
// - A non-finite input (NaN, ±inf) is a gap: the output at that index is empty and
//   every indicator restarts its warm-up after the gap, exactly as if the history
//   began on the next good value. For candle indicators a candle is good when its
//   high, low and close are all finite.
// - A period of 0 (or any period that cannot be computed) gives all-empty output of
//   the input's length; nothing here fails or aborts.
#pragma once

#include "analysis/candle.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace bmcp::analysis {

using Series = std::vector<std::optional<double>>;

// The newest element of a series (its last index), or nullopt when the series is
// empty or its last element is empty. It never reaches back to an older value.
std::optional<double> last_value(const Series& series);

// The closes of the candles, in order.
std::vector<double> closes_of(std::span<const Candle> candles);

// Simple moving average: the mean of the last `period` values; first defined at
// index period-1.
Series sma(std::span<const double> values, std::size_t period);

// Exponential moving average with alpha = 2/(period+1). It is seeded with the SMA of
// the first `period` values (at index period-1) and recurses from there:
//   EMA_t = alpha*x_t + (1-alpha)*EMA_{t-1}.
// Seeding with the SMA (rather than with the first value) is the StockCharts/TA-Lib
// convention and makes a window of history, not one bar, set the starting level.
Series ema(std::span<const double> values, std::size_t period);

// Relative Strength Index with Wilder's smoothing (J. W. Wilder, "New Concepts in
// Technical Trading Systems", 1978). With change_t = close_t - close_{t-1}, the first
// average gain/loss is the simple mean of the first `period` changes (defined at
// index `period`); after that avg_t = (avg_{t-1}*(period-1) + x_t)/period.
// RSI = 100 - 100/(1 + avg_gain/avg_loss). When avg_loss is 0 the RSI is 100, and
// when both averages are 0 (no movement at all) it is 50 by convention: neutral.
Series rsi(std::span<const double> closes, std::size_t period = 14);

// MACD (Gerald Appel): line = EMA_fast - EMA_slow; signal = EMA_signal of the line
// (seeded like `ema`, from the first `signal_period` defined line values);
// histogram = line - signal. With 12/26/9 the line starts at index 25 and the signal
// and histogram at index 33.
struct MacdSeries {
  Series line;
  Series signal;
  Series histogram;
};
MacdSeries macd(std::span<const double> closes, std::size_t fast_period = 12,
                std::size_t slow_period = 26, std::size_t signal_period = 9);

// Bollinger Bands (John Bollinger): middle = SMA_period, upper/lower = middle ±
// width * sigma, where sigma is the POPULATION standard deviation of the same window
// (divide by n, as Bollinger specifies). percent_b = (close - lower)/(upper - lower),
// empty when the bands coincide; bandwidth = (upper - lower)/middle as a fraction
// (0.10 = bands 10% of price apart), empty when middle is 0.
struct BollingerSeries {
  Series middle;
  Series upper;
  Series lower;
  Series percent_b;
  Series bandwidth;
};
BollingerSeries bollinger(std::span<const double> closes, std::size_t period = 20,
                          double width = 2.0);

// True range (Wilder 1978): max(high-low, |high-close_prev|, |low-close_prev|). The
// first candle of the history (or the first after a gap) has no previous close, so
// its true range is high-low.
Series true_range(std::span<const Candle> candles);

// Average True Range, Wilder-smoothed: the first value is the mean of the first
// `period` true ranges (defined at index period-1, the first true range being
// high-low); then ATR_t = (ATR_{t-1}*(period-1) + TR_t)/period.
Series atr(std::span<const Candle> candles, std::size_t period = 14);

// Directional Movement (Wilder 1978). From the second candle on:
//   up = high_t - high_{t-1}, down = low_{t-1} - low_t,
//   +DM = up if up > down and up > 0, else 0;  -DM = down if down > up and down > 0, else 0,
// and TR as above. TR, +DM and -DM are Wilder-smoothed as running sums (first value
// the sum of the first `period` values, then S_t = S_{t-1} - S_{t-1}/period + x_t).
// +DI = 100*(+DM sum)/(TR sum), -DI likewise, defined from index `period`.
// DX = 100*|+DI - -DI|/(+DI + -DI); ADX is the mean of the first `period` DX values
// (defined at index 2*period-1) and then Wilder-smoothed like the ATR.
// Degenerate bars: a zero TR sum gives DI 0, and DI+ + DI- = 0 gives DX 0.
struct AdxSeries {
  Series adx;
  Series plus_di;
  Series minus_di;
};
AdxSeries adx(std::span<const Candle> candles, std::size_t period = 14);

// Historical (realized) volatility: the SAMPLE standard deviation (divide by n-1) of
// the last `period` log returns ln(close_t/close_{t-1}), annualized by
// sqrt(periods_per_year) (252 for daily bars, 52 weekly, 12 monthly). The result is a
// fraction: 0.25 means 25% a year. Defined from index `period` (period returns need
// period+1 closes); needs period >= 2 and periods_per_year > 0. A close that is not
// a positive finite number is a gap, since its log return does not exist.
Series historical_volatility(std::span<const double> closes, std::size_t period = 20,
                             double periods_per_year = 252.0);

}  // namespace bmcp::analysis
