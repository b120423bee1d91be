// Retry policy: exponential backoff with jitter, Retry-After honoured, limits respected.
#include <catch2/catch.hpp>

#include "brokers/upstream/retry_policy.hpp"

using namespace bmcp::upstream;

TEST_CASE("backoff doubles per retry, is capped and jittered", "[upstream][retry]") {
  RetryPolicy p;
  p.base_delay_ms = 400;
  p.max_delay_ms = 4000;
  p.jitter = 0.25;
  CHECK(backoff_delay_ms(p, 1, 0.5) == 400);
  CHECK(backoff_delay_ms(p, 2, 0.5) == 800);
  CHECK(backoff_delay_ms(p, 3, 0.5) == 1600);
  CHECK(backoff_delay_ms(p, 10, 0.5) == 4000);
  CHECK(backoff_delay_ms(p, 1, 0.0) == 300);    // -25 %
  CHECK(backoff_delay_ms(p, 1, 0.999) >= 499);  // almost +25 %
  for (double r = 0; r < 1; r += 0.01) {
    auto d = backoff_delay_ms(p, 2, r);
    CHECK(d >= 600);
    CHECK(d <= 1000);
  }
}

TEST_CASE("the next retry honours Retry-After and the limits", "[upstream][retry]") {
  RetryPolicy p;
  p.max_attempts = 3;
  p.max_retry_after_ms = 8000;
  p.max_total_delay_ms = 12000;
  SECTION("retries stop after max_attempts") {
    CHECK(next_retry_delay_ms(p, 1, std::nullopt, 0, 0.5).has_value());
    CHECK(next_retry_delay_ms(p, 2, std::nullopt, 0, 0.5).has_value());
    CHECK_FALSE(next_retry_delay_ms(p, 3, std::nullopt, 0, 0.5).has_value());
  }
  SECTION("a Retry-After longer than the backoff is waited for") {
    CHECK(next_retry_delay_ms(p, 1, 3000, 0, 0.5) == 3000);
    CHECK(next_retry_delay_ms(p, 1, 10, 0, 0.5) == 400);
  }
  SECTION("a Retry-After beyond what we wait for means no retry") {
    CHECK_FALSE(next_retry_delay_ms(p, 1, 9000, 0, 0.5).has_value());
  }
  SECTION("the total wait is bounded") {
    CHECK_FALSE(next_retry_delay_ms(p, 2, 5000, 8000, 0.5).has_value());
    CHECK(next_retry_delay_ms(p, 2, 3000, 8000, 0.5) == 3000);
  }
  SECTION("retryable statuses") {
    for (int s : {429, 500, 502, 503, 504}) CHECK(is_retryable_status(s));
    for (int s : {200, 400, 401, 403, 404, 409, 422, 501}) CHECK_FALSE(is_retryable_status(s));
  }
}

TEST_CASE("Retry-After as seconds or an HTTP date", "[upstream][retry]") {
  const std::int64_t now = 784111777000;  // Sun, 06 Nov 1994 08:49:37 GMT
  CHECK(parse_retry_after_ms("3", now) == 3000);
  CHECK(parse_retry_after_ms(" 120 ", now) == 120000);
  CHECK(parse_retry_after_ms("Sun, 06 Nov 1994 08:49:40 GMT", now) == 3000);
  CHECK(parse_retry_after_ms("Sun, 06 Nov 1994 08:49:30 GMT", now) == 0);  // in the past
  CHECK_FALSE(parse_retry_after_ms("", now));
  CHECK_FALSE(parse_retry_after_ms("-1", now));
  CHECK_FALSE(parse_retry_after_ms("soon", now));
  CHECK_FALSE(parse_retry_after_ms("99999999999999", now));
  CHECK_FALSE(parse_retry_after_ms("Sun, 31 Feb 1994 08:49:40 GMT", now));
}
