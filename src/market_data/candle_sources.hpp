// Where chart candles come from, per broker, for the three chart timeframes:
// - Schwab: GET /marketdata/v1/pricehistory (REST; epoch-ms candles with plain numbers).
// - tastytrade: no REST candles; DXLink `Candle` events on a HISTORY channel over an
//   outbound WebSocket (brokers/tastytrade/dxlink_candles.hpp drives the exchange).
#pragma once

#include "base/result.hpp"
#include "analysis/candle.hpp"
#include "base/json.hpp"
#include "effects/io.hpp"
#include "effects/task.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmcp::market_data {

// intraday: 15-minute bars over the last 10 trading days (regular hours);
// daily: daily bars over 2 years; weekly: weekly bars over 5 years.
enum class Timeframe { kIntraday, kDaily, kWeekly };

std::optional<Timeframe> parse_timeframe(std::string_view text);
std::string_view to_string(Timeframe timeframe);
// Bars per year, for annualizing volatility (and naming the bar in the summary).
double periods_per_year(Timeframe timeframe);

// ---- Schwab ---------------------------------------------------------------------------
// The query string (without '?') of /marketdata/v1/pricehistory for the symbol.
std::string schwab_price_history_query(std::string_view symbol, Timeframe timeframe);

struct ParsedCandles {
  std::vector<analysis::Candle> candles;  // in the order given
  std::size_t skipped = 0;                // entries that were not candles
};
// Reads Schwab's CandleList {symbol, empty, candles:[{open, high, low, close, volume,
// datetime}]}. An entry without a numeric datetime or close is skipped.
Result<ParsedCandles> parse_schwab_price_history(const Json& body);

// ---- tastytrade (DXLink) --------------------------------------------------------------
// The candle period attribute: "15m", "d" or "w".
std::string_view dxlink_period(Timeframe timeframe);
// The candle symbol to subscribe to: AAPL{=15m,tho=true}, AAPL{=d}, AAPL{=w}.
std::string dxlink_candle_symbol(std::string_view symbol, Timeframe timeframe);
// `fromTime` for the subscription: far enough back for the timeframe's history.
std::int64_t dxlink_from_time(Timeframe timeframe, std::int64_t now_ms);

struct DxlinkCandles {
  std::vector<analysis::Candle> candles;  // oldest first
  std::size_t ignored_rows = 0;
};
// Opens the socket, runs the exchange until the snapshot is complete, and closes the
// socket. Fails when the socket cannot be opened, the token is refused, or the snapshot
// is not complete within `timeout_ms` (measured on the call's clock).
Task<Result<DxlinkCandles>> fetch_dxlink_candles(Io& io, std::string url, std::string token,
                                                 std::string candle_symbol,
                                                 std::int64_t from_time_ms,
                                                 std::int64_t timeout_ms = 15000);

}  // namespace bmcp::market_data
