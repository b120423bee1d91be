// The HTTP client every broker module uses (Schwab now, tastytrade later): it gets the
// person's access token through BrokerAccess, takes a slot from the deployment-wide rate
// limiter, sends the request with a timeout, retries reads on 429/5xx/no answer with
// exponential backoff and jitter (honouring Retry-After), never retries a mutation, and
// maps every failure to an UpstreamError with the broker's correlation id.
//
// On a 401 the token is reported to BrokerAccess::invalidate (the next request refreshes
// or asks the person to sign in again) and the result is invalid_token.
#pragma once

#include "brokers/broker_access.hpp"
#include "brokers/upstream/rate_limiter.hpp"
#include "brokers/upstream/retry_policy.hpp"
#include "brokers/upstream/upstream_error.hpp"
#include "effects/io.hpp"
#include "effects/task.hpp"
#include "http/http_message.hpp"
#include "logging/logger.hpp"

#include <string>

namespace bmcp::upstream {

struct Endpoint {
  std::string provider;            // "schwab": BrokerAccess provider and rate-limit bucket
  std::string label;               // "Schwab": for messages
  std::string base_url;            // "https://api.schwabapi.com" (no trailing slash)
  std::string correlation_header;  // response header carrying the broker's request id
  std::string user_agent = "broker-mcp";
  std::int64_t timeout_ms = 10000;
  RetryPolicy retry;
  // The broker's own words from an error body (parsed JSON; null when the body was not
  // JSON); empty when there are none. Must not return the body itself.
  std::string (*error_message)(const Json& body) = nullptr;
};

struct UpstreamRequest {
  std::string method = "GET";
  std::string path;       // appended to base_url, already percent-encoded
  std::string query;      // without '?'
  std::string body;       // JSON text; empty for none
  bool mutation = false;  // never retried
};

struct UpstreamResponse {
  int status = 0;
  http::Headers headers;
  Json json;  // the parsed body; null when the body was empty
  std::string correlation_id;
};

struct UpstreamResult {
  bool ok = false;
  UpstreamResponse response;  // when ok (also filled for HTTP errors)
  UpstreamError error;        // when !ok
  int attempts = 0;
  // Plain words the person should see with the answer (brokers/signin_expiry.hpp), or empty.
  std::string notice;
};

class UpstreamClient {
 public:
  UpstreamClient(Endpoint endpoint, const brokers::BrokerAccess& access, const RateLimiter* limiter,
                 const logging::Logger& log)
      : endpoint_(std::move(endpoint)), access_(access), limiter_(limiter), log_(log) {}

  Task<UpstreamResult> send(Io& io, std::string user_id, UpstreamRequest request) const;

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  Endpoint endpoint_;
  const brokers::BrokerAccess& access_;
  const RateLimiter* limiter_;
  logging::Logger log_;
};

// A random number in [0, 1) from the crypto port (for jitter).
double random_unit(const CryptoPort& crypto);

}  // namespace bmcp::upstream
