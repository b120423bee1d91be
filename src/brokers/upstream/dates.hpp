// Dates and times as people and models type them, and as broker APIs want them.
//
// parse_time accepts an ISO 8601 calendar date ("2024-05-07"), a date-time with or without
// seconds, fraction and zone ("2024-05-07T13:30", "2024-05-07 13:30:01.5", "…Z",
// "…+02:00", "…+0000" as Schwab writes it), or epoch milliseconds as digits. A time
// without a zone is UTC. Everything is proleptic Gregorian, no leap seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bmcp::upstream {

struct ParsedTime {
  std::int64_t epoch_ms = 0;
  bool date_only = false;  // "2024-05-07": midnight UTC of that day
};

std::optional<ParsedTime> parse_time(std::string_view text);

// RFC 9110 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"): epoch milliseconds.
std::optional<std::int64_t> parse_http_date(std::string_view text);

// "2024-05-07T13:30:01.000Z"
std::string format_iso_ms(std::int64_t epoch_ms);
// "2024-05-07"
std::string format_date(std::int64_t epoch_ms);

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);

inline constexpr std::int64_t kDayMs = 86'400'000;

}  // namespace bmcp::upstream
