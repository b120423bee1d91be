#include "brokers/upstream/rate_limiter.hpp"

#include "effects/host_api.hpp"

namespace bmcp::upstream {

RateDecision fixed_window_decision(std::int64_t count, std::int64_t window_start_ms,
                                   std::int64_t now_ms, std::int64_t limit,
                                   std::int64_t window_ms) {
  RateDecision d;
  if (count <= limit) return d;
  d.allowed = false;
  d.retry_after_ms = window_start_ms + window_ms - now_ms;
  if (d.retry_after_ms < 1) d.retry_after_ms = 1;
  return d;
}

Task<RateDecision> D1RateLimiter::acquire(Io& io, std::string bucket) const {
  const std::int64_t now = io.now_ms();
  const std::int64_t window_start = now - now % window_ms_;
  // A late request from an isolate whose clock lags never moves the window backwards.
  std::string sql =
      "INSERT INTO " + table_ +
      " (bucket, window_start, count) VALUES (?, ?, 1) "
      "ON CONFLICT (bucket) DO UPDATE SET "
      "count = CASE WHEN excluded.window_start > window_start THEN 1 ELSE count + 1 END, "
      "window_start = MAX(window_start, excluded.window_start) "
      "RETURNING count, window_start";
  Json params = Json::array({bucket, window_start});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(params));
  if (!r.ok || r.rows.empty()) {
    RateDecision d;
    d.unavailable = true;
    co_return d;
  }
  std::int64_t count = get_int(r.rows[0], "count").value_or(1);
  std::int64_t start = get_int(r.rows[0], "window_start").value_or(window_start);
  co_return fixed_window_decision(count, start, now, limit_, window_ms_);
}

Task<bool> D1RateLimiter::forget_past_windows(Io& io) const {
  const std::int64_t now = io.now_ms();
  std::string sql = "DELETE FROM " + table_ + " WHERE window_start < ?";
  Json params = Json::array({now - now % window_ms_});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(params));
  co_return r.ok;
}

}  // namespace bmcp::upstream
