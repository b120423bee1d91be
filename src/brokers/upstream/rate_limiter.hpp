// The deployment-wide limit on requests to a broker (120 per minute, shared by all users,
// because Schwab counts requests per app). Every request to the broker —
// retries included — takes one slot first.
//
// D1RateLimiter keeps a fixed-window counter in D1, the deployment's strongly consistent
// store: one upsert per request increments the current window's count atomically (a
// single SQL statement), so isolates and Durable Objects anywhere see one shared count.
// If D1 cannot be reached the request is let through (failing open keeps reads working;
// the broker's own 429 remains the backstop) and the caller is told, so it can log it.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"

#include <cstdint>
#include <string>

namespace bmcp::upstream {

struct RateDecision {
  bool allowed = true;
  std::int64_t retry_after_ms = 0;  // when refused: until the window ends
  bool unavailable = false;         // the counter could not be consulted (allowed anyway)
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  virtual Task<RateDecision> acquire(Io& io, std::string bucket) const = 0;
};

// Pure decision for a fixed window: `count` requests (this one included) in the window
// that started at `window_start_ms`.
RateDecision fixed_window_decision(std::int64_t count, std::int64_t window_start_ms,
                                   std::int64_t now_ms, std::int64_t limit, std::int64_t window_ms);

// `table` has the shape of upstream_rate_windows (bucket, window_start, count); other
// limits (e.g. client registrations per address) keep their windows in a table of their own.
class D1RateLimiter final : public RateLimiter {
 public:
  D1RateLimiter(std::int64_t limit, std::int64_t window_ms,
                std::string table = "upstream_rate_windows")
      : limit_(limit), window_ms_(window_ms), table_(std::move(table)) {}
  Task<RateDecision> acquire(Io& io, std::string bucket) const override;
  // Deletes the rows of windows that have ended (for tables with many buckets).
  Task<bool> forget_past_windows(Io& io) const;

 private:
  std::int64_t limit_;
  std::int64_t window_ms_;
  std::string table_;
};

}  // namespace bmcp::upstream
