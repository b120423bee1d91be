#include "brokers/upstream/dates.hpp"

#include <cstdio>

namespace bmcp::upstream {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

struct Civil {
  std::int64_t y;
  unsigned m, d;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<ParsedTime> parse_time(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  // Epoch milliseconds.
  bool all_digits = s.size() >= 9 && s.size() <= 15;
  for (char c : s) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits) {
    std::int64_t v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return ParsedTime{v, false};
  }
  int y, mo, d;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, mo))
    return std::nullopt;
  std::int64_t day_ms = days_from_civil(y, mo, d) * kDayMs;
  if (s.size() == 10) return ParsedTime{day_ms, true};
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  int hh, mm, ss = 0, ms = 0;
  std::size_t p = 11;
  if (s.size() < p + 5 || !digits(s, p, 2, hh) || s[p + 2] != ':' || !digits(s, p + 3, 2, mm))
    return std::nullopt;
  p += 5;
  if (p < s.size() && s[p] == ':') {
    if (!digits(s, p + 1, 2, ss)) return std::nullopt;
    p += 3;
    if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
      ++p;
      int scale = 100, n = 0;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
        ms += (s[p] - '0') * scale;
        scale /= 10;
        ++p;
        ++n;
      }
      if (n == 0) return std::nullopt;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  std::int64_t offset_min = 0;
  if (p < s.size()) {
    char z = s[p];
    if ((z == 'Z' || z == 'z') && p + 1 == s.size()) {
      ++p;
    } else if (z == '+' || z == '-') {
      int oh, om = 0;
      if (!digits(s, p + 1, 2, oh)) return std::nullopt;
      std::size_t q = p + 3;
      if (q < s.size()) {
        if (s[q] == ':') ++q;
        if (!digits(s, q, 2, om)) return std::nullopt;
        q += 2;
      }
      if (q != s.size() || oh > 23 || om > 59) return std::nullopt;
      offset_min = (oh * 60 + om) * (z == '-' ? -1 : 1);
      p = q;
    } else {
      return std::nullopt;
    }
  }
  std::int64_t t = day_ms + ((hh * 60LL + mm) * 60 + ss) * 1000 + ms - offset_min * 60000;
  return ParsedTime{t, false};
}

std::optional<std::int64_t> parse_http_date(std::string_view s) {
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s[3] != ',' || s.substr(25) != " GMT") return std::nullopt;
  int d, y, hh, mm, ss;
  if (!digits(s, 5, 2, d) || !digits(s, 12, 4, y) || !digits(s, 17, 2, hh) ||
      !digits(s, 20, 2, mm) || !digits(s, 23, 2, ss))
    return std::nullopt;
  unsigned m = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (s.substr(8, 3) == kMonths[i]) m = i + 1;
  if (!m || d < 1 || static_cast<unsigned>(d) > days_in_month(y, m) || hh > 23 || mm > 59 ||
      ss > 60)
    return std::nullopt;
  return days_from_civil(y, m, d) * kDayMs + ((hh * 60LL + mm) * 60 + ss) * 1000;
}

std::string format_date(std::int64_t epoch_ms) {
  Civil c = civil_from_days(floor_div(epoch_ms, kDayMs));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(c.y), c.m, c.d);
  return buf;
}

std::string format_iso_ms(std::int64_t epoch_ms) {
  std::int64_t day = floor_div(epoch_ms, kDayMs);
  std::int64_t rest = epoch_ms - day * kDayMs;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", format_date(epoch_ms).c_str(),
                static_cast<int>(rest / 3600000), static_cast<int>(rest / 60000 % 60),
                static_cast<int>(rest / 1000 % 60), static_cast<int>(rest % 1000));
  return buf;
}

}  // namespace bmcp::upstream
