// One bar of price history (OHLCV), the input of every chart indicator.
// Times are epoch milliseconds, as both brokers deliver them. A candle is only a
// value: nothing here checks that high >= low or that prices are finite; the
// indicators treat non-finite prices as gaps and chart_summary cleans its input.
#pragma once

#include <cstdint>

namespace bmcp::analysis {

struct Candle {
  std::int64_t time_ms = 0;
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
  double volume = 0;
};

}  // namespace bmcp::analysis
