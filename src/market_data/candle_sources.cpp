#include "market_data/candle_sources.hpp"

#include "brokers/upstream/url.hpp"
#include "effects/host_api.hpp"
#include "brokers/tastytrade/dxlink_candles.hpp"

#include <algorithm>
#include <cmath>

namespace bmcp::market_data {

namespace {
constexpr std::int64_t kDayMs = 86'400'000;
}

std::optional<Timeframe> parse_timeframe(std::string_view text) {
  if (text == "intraday") return Timeframe::kIntraday;
  if (text == "daily") return Timeframe::kDaily;
  if (text == "weekly") return Timeframe::kWeekly;
  return std::nullopt;
}

std::string_view to_string(Timeframe timeframe) {
  switch (timeframe) {
    case Timeframe::kIntraday: return "intraday";
    case Timeframe::kDaily: return "daily";
    case Timeframe::kWeekly: return "weekly";
  }
  return "daily";
}

double periods_per_year(Timeframe timeframe) {
  switch (timeframe) {
    case Timeframe::kIntraday: return 252.0 * 26.0;  // 26 quarter-hours per regular session
    case Timeframe::kDaily: return 252.0;
    case Timeframe::kWeekly: return 52.0;
  }
  return 252.0;
}

std::string schwab_price_history_query(std::string_view symbol, Timeframe timeframe) {
  upstream::QueryString q;
  q.add("symbol", symbol);
  switch (timeframe) {
    case Timeframe::kIntraday:
      q.add("periodType", "day")
          .add("period", "10")
          .add("frequencyType", "minute")
          .add("frequency", "15");
      break;
    case Timeframe::kDaily:
      q.add("periodType", "year")
          .add("period", "2")
          .add("frequencyType", "daily")
          .add("frequency", "1");
      break;
    case Timeframe::kWeekly:
      q.add("periodType", "year")
          .add("period", "5")
          .add("frequencyType", "weekly")
          .add("frequency", "1");
      break;
  }
  q.add("needExtendedHoursData", "false");
  return q.str();
}

Result<ParsedCandles> parse_schwab_price_history(const Json& body) {
  using Parsed = Result<ParsedCandles>;
  ParsedCandles out;
  if (!body.is_object()) return Parsed::failed("Schwab's price history was not a JSON object.");
  const Json* candles = find_member(body, "candles");
  if (!candles || !candles->is_array()) {
    if (get_bool(body, "empty").value_or(false)) return Parsed::of(std::move(out));
    return Parsed::failed("Schwab's price history has no candles list.");
  }
  out.candles.reserve(candles->size());
  for (const Json& c : *candles) {
    auto time = c.is_object() ? get_int(c, "datetime") : std::nullopt;
    auto close = c.is_object() ? get_number(c, "close") : std::nullopt;
    if (!time || !close) {
      ++out.skipped;
      continue;
    }
    analysis::Candle k;
    k.time_ms = *time;
    k.close = *close;
    k.open = get_number(c, "open").value_or(*close);
    k.high = get_number(c, "high").value_or(std::max(k.open, k.close));
    k.low = get_number(c, "low").value_or(std::min(k.open, k.close));
    k.volume = get_number(c, "volume").value_or(0);
    out.candles.push_back(k);
  }
  return Parsed::of(std::move(out));
}

std::string_view dxlink_period(Timeframe timeframe) {
  switch (timeframe) {
    case Timeframe::kIntraday: return "15m";
    case Timeframe::kDaily: return "d";
    case Timeframe::kWeekly: return "w";
  }
  return "d";
}

std::string dxlink_candle_symbol(std::string_view symbol, Timeframe timeframe) {
  // Daily and weekly bars are session bars already; intraday bars stay in regular hours.
  return candle_symbol(symbol, dxlink_period(timeframe), timeframe == Timeframe::kIntraday);
}

std::int64_t dxlink_from_time(Timeframe timeframe, std::int64_t now_ms) {
  switch (timeframe) {
    case Timeframe::kIntraday: return now_ms - 14 * kDayMs;  // 10 trading days
    case Timeframe::kDaily: return now_ms - 731 * kDayMs;    // 2 years
    case Timeframe::kWeekly: return now_ms - 1827 * kDayMs;  // 5 years
  }
  return now_ms - 731 * kDayMs;
}

Task<Result<DxlinkCandles>> fetch_dxlink_candles(Io& io, std::string url, std::string token,
                                                 std::string candle_symbol,
                                                 std::int64_t from_time_ms,
                                                 std::int64_t timeout_ms) {
  using Fetched = Result<DxlinkCandles>;
  const std::int64_t deadline = io.now_ms() + timeout_ms;
  host::WsOpenResult opened =
      co_await host::ws_open(io, url, std::min<std::int64_t>(timeout_ms, 10000));
  if (!opened.ok)
    co_return Fetched::failed(
        "Could not connect to tastytrade's market-data stream (" +
        (opened.error_code.empty() ? std::string("network") : opened.error_code) + ").");
  const std::string socket = opened.socket;
  DxlinkCandleSession session(std::move(token), std::move(candle_symbol), from_time_ms);
  std::vector<std::string> outgoing = session.start();
  bool send_failed = false;
  while (!session.finished()) {
    for (std::string& frame : outgoing) {
      const bool sent = co_await host::ws_send(io, socket, std::move(frame));
      if (!sent) send_failed = true;
    }
    outgoing.clear();
    if (send_failed) break;
    const std::int64_t left = deadline - io.now_ms();
    if (left <= 0) break;
    host::WsReceiveResult r = co_await host::ws_receive(io, socket, left);
    if (r.status != host::WsReceiveResult::Status::kMessage) break;
    outgoing = session.on_frame(r.data);
  }
  co_await host::ws_close(io, socket);
  if (session.state() == DxlinkCandleSession::State::kDone) {
    DxlinkCandles out;
    out.candles = session.candles();
    out.ignored_rows = session.ignored_rows();
    co_return Fetched::of(std::move(out));
  }
  if (session.state() == DxlinkCandleSession::State::kFailed)
    co_return Fetched::failed(session.error());
  co_return Fetched::failed(
      "tastytrade's market-data stream did not deliver the candle history in time.");
}

}  // namespace bmcp::market_data
