// Candle history from tastytrade's DXLink WebSocket, sans I/O: a state machine that is
// handed every text frame the server sends and answers with the frames to send back.
// The exchange (tastytrade reference §2.5, §4.2):
//   SETUP → AUTH_STATE UNAUTHORIZED → AUTH {token} → AUTH_STATE AUTHORIZED
//   → CHANNEL_REQUEST {service FEED, contract HISTORY} → CHANNEL_OPENED
//   → FEED_SETUP (COMPACT, Candle fields) + FEED_SUBSCRIPTION {Candle, symbol, fromTime}
//   → FEED_CONFIG → FEED_DATA … until the snapshot is complete.
// The snapshot follows dxFeed's indexed-event rules: SNAPSHOT_BEGIN starts it afresh,
// REMOVE_EVENT deletes the candle with that time, SNAPSHOT_END or SNAPSHOT_SNIP ends it
// (once no transaction is pending). Rows with NaN prices are never candles. The server
// echoes the candle symbol canonically (AAPL{=1d} comes back as AAPL{=d}), so symbols
// are compared in canonical form.
#pragma once

#include "analysis/candle.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace bmcp::market_data {

// dxFeed eventFlags.
inline constexpr int kTxPending = 1;
inline constexpr int kRemoveEvent = 2;
inline constexpr int kSnapshotBegin = 4;
inline constexpr int kSnapshotEnd = 8;
inline constexpr int kSnapshotSnip = 16;

// The canonical form of a candle symbol: the period attribute `=` loses a count of 1
// (`{=1d}` → `{=d}`, `{=1h}` → `{=h}`, `{=1mo}` → `{=mo}`); other attributes are kept
// in order. A symbol without attributes is returned unchanged.
std::string canonical_candle_symbol(std::string_view symbol);

// "AAPL" + "d" → "AAPL{=d}"; regular_hours_only adds `tho=true`.
std::string candle_symbol(std::string_view symbol, std::string_view period,
                          bool regular_hours_only);

class DxlinkCandleSession {
 public:
  enum class State {
    kConnecting,      // SETUP sent, waiting for the server's SETUP / AUTH_STATE
    kAuthorizing,     // AUTH sent
    kOpeningChannel,  // CHANNEL_REQUEST sent
    kReceiving,       // subscribed, collecting the snapshot
    kDone,            // snapshot complete
    kFailed,
  };

  DxlinkCandleSession(std::string token, std::string candle_symbol, std::int64_t from_time_ms,
                      int channel = 1);

  // The first frame to send (SETUP).
  std::vector<std::string> start();
  // One frame from the server; returns the frames to send in answer (possibly none).
  std::vector<std::string> on_frame(std::string_view frame);

  State state() const { return state_; }
  bool finished() const { return state_ == State::kDone || state_ == State::kFailed; }
  const std::string& error() const { return error_; }
  // The candles so far, oldest first (complete once state() is kDone).
  std::vector<analysis::Candle> candles() const;
  // Rows that were not candles: NaN prices, other symbols or event types.
  std::size_t ignored_rows() const { return ignored_rows_; }
  const std::string& symbol() const { return symbol_; }

 private:
  struct Row {
    int flags = 0;
    bool priced = false;  // open, high, low and close are all finite
    analysis::Candle candle;
  };
  void fail(std::string message);
  void on_rows(std::vector<Row> rows);
  void apply(const Row& row);

  std::string token_;
  std::string symbol_;     // as subscribed
  std::string canonical_;  // for matching the echo
  std::int64_t from_time_ms_;
  int channel_;
  State state_ = State::kConnecting;
  std::string error_;
  bool auth_sent_ = false;
  std::vector<std::string> fields_;  // Candle fields in COMPACT order
  std::map<std::int64_t, analysis::Candle> snapshot_;
  std::vector<Row> pending_;  // rows of an open transaction
  bool in_snapshot_ = false;
  bool end_seen_ = false;
  std::size_t ignored_rows_ = 0;
};

}  // namespace bmcp::market_data
