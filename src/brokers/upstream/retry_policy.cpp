#include "brokers/upstream/retry_policy.hpp"

#include "brokers/upstream/dates.hpp"

#include <algorithm>
#include <cctype>

namespace bmcp::upstream {

bool is_retryable_status(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::int64_t backoff_delay_ms(const RetryPolicy& p, int retry, double random01) {
  std::int64_t delay = p.base_delay_ms;
  for (int i = 1; i < retry && delay < p.max_delay_ms; ++i) delay *= 2;
  delay = std::min(delay, p.max_delay_ms);
  double r = std::clamp(random01, 0.0, 1.0);
  double factor = 1.0 - p.jitter + 2.0 * p.jitter * r;
  return std::max<std::int64_t>(0, static_cast<std::int64_t>(static_cast<double>(delay) * factor));
}

std::optional<std::int64_t> next_retry_delay_ms(const RetryPolicy& p, int retry,
                                                std::optional<std::int64_t> retry_after_ms,
                                                std::int64_t waited_ms, double random01) {
  if (retry >= p.max_attempts) return std::nullopt;
  if (retry_after_ms && *retry_after_ms > p.max_retry_after_ms) return std::nullopt;
  std::int64_t delay = backoff_delay_ms(p, retry, random01);
  if (retry_after_ms) delay = std::max(delay, *retry_after_ms);
  if (waited_ms + delay > p.max_total_delay_ms) return std::nullopt;
  return delay;
}

std::optional<std::int64_t> parse_retry_after_ms(std::string_view v, std::int64_t now_ms) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (v.size() > 9) return std::nullopt;
    std::int64_t s = 0;
    for (char c : v) s = s * 10 + (c - '0');
    return s * 1000;
  }
  auto when = parse_http_date(v);
  if (!when) return std::nullopt;
  return std::max<std::int64_t>(0, *when - now_ms);
}

}  // namespace bmcp::upstream
