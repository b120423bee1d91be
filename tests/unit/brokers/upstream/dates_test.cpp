// Dates and times as people type them and as Schwab wants them.
#include <catch2/catch.hpp>

#include "brokers/upstream/dates.hpp"

using namespace bmcp::upstream;

TEST_CASE("ISO dates and date-times are parsed to epoch milliseconds", "[upstream][dates]") {
  auto ms = [](std::string_view s) { return parse_time(s).value().epoch_ms; };
  CHECK(ms("1970-01-01") == 0);
  CHECK(parse_time("2024-05-07")->date_only);
  CHECK(ms("2024-05-07") == 1715040000000);
  CHECK(ms("2024-05-07T13:30:01Z") == 1715088601000);
  CHECK(ms("2024-05-07T13:30:01.5Z") == 1715088601500);
  CHECK(ms("2024-05-07T13:30:01.123456Z") == 1715088601123);
  CHECK(ms("2024-05-07T13:30:01+0000") == 1715088601000);  // Schwab's own spelling
  CHECK(ms("2024-05-07T09:30:01-04:00") == 1715088601000);
  CHECK(ms("2024-05-07T15:30:01+02") == 1715088601000);
  CHECK(ms("2024-05-07 13:30") == 1715088600000);
  CHECK(ms("2024-05-07T13:30") == 1715088600000);
  CHECK(ms("1715088601000") == 1715088601000);  // epoch ms
  CHECK(ms("2024-02-29") == 1709164800000);
  CHECK(ms("1969-12-31T23:59:59Z") == -1000);
  for (const char* bad :
       {"", "2024-13-01", "2024-02-30", "2023-02-29", "2024-05-07T25:00", "2024-05-07T13:30:01+",
        "yesterday", "2024-5-7", "2024-05-07T13", "2024-05-07T13:30:01ZZ", "2024-05-07X13:30"})
    CHECK_FALSE(parse_time(bad).has_value());
}

TEST_CASE("times are formatted as Schwab expects", "[upstream][dates]") {
  CHECK(format_iso_ms(1715088601000) == "2024-05-07T13:30:01.000Z");
  CHECK(format_iso_ms(1715088601123) == "2024-05-07T13:30:01.123Z");
  CHECK(format_iso_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_iso_ms(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_date(1715088601000) == "2024-05-07");
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  // Round trip over a range of days.
  for (std::int64_t d = -800; d < 30000; d += 37) {
    std::int64_t t = d * kDayMs + 12345;
    CHECK(parse_time(format_iso_ms(t))->epoch_ms == t);
  }
}

TEST_CASE("HTTP dates", "[upstream][dates]") {
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777000);
  CHECK_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"));
}
