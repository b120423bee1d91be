// When a failed broker read is tried again, and after how long. Only reads are retried:
// a mutation (placing, replacing, cancelling an order) is never sent twice by us.
//
// Retryable: 429, 500, 502, 503, 504, and no answer at all (network error, timeout).
// Delay before retry n (n = 1 after the first failure) = base * 2^(n-1), capped at
// max_delay, then spread by ±jitter; a Retry-After from the broker is honoured as a
// minimum. When the broker asks for a longer wait than max_retry_after, or the waits
// would add up to more than max_total_delay, there is no retry and the error is reported
// with the broker's Retry-After.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace bmcp::upstream {

struct RetryPolicy {
  int max_attempts = 3;  // first try + 2 retries
  std::int64_t base_delay_ms = 400;
  std::int64_t max_delay_ms = 4000;
  double jitter = 0.25;  // fraction of the delay, both ways
  std::int64_t max_retry_after_ms = 8000;
  std::int64_t max_total_delay_ms = 12000;
  int max_timeout_attempts = 2;  // a request that timed out is tried at most twice
};

bool is_retryable_status(int status);

// Exponential delay with jitter; `random01` in [0, 1).
std::int64_t backoff_delay_ms(const RetryPolicy& policy, int retry, double random01);

// The wait before retry `retry`, or nullopt when the policy says stop: retries exhausted
// (`retry` >= max_attempts), a Retry-After above max_retry_after_ms, or a total wait
// (`waited_ms` so far plus this one) above max_total_delay_ms.
std::optional<std::int64_t> next_retry_delay_ms(const RetryPolicy& policy, int retry,
                                                std::optional<std::int64_t> retry_after_ms,
                                                std::int64_t waited_ms, double random01);

// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; milliseconds from now.
// nullopt when the header is malformed. A date in the past gives 0.
std::optional<std::int64_t> parse_retry_after_ms(std::string_view value, std::int64_t now_ms);

}  // namespace bmcp::upstream
