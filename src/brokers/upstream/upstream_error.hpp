// What went wrong talking to a broker, in terms a person and a model can act on. Codes
// follow this mapping: 401 -> invalid_token, 403 -> insufficient_scope,
// 429 -> rate_limited, 5xx -> server_error, no answer -> network_error; plus
// invalid_request (other 4xx), not_found (404) and invalid_response (a 2xx body that is not
// JSON). Messages are short plain words taken from the broker's error fields, never a raw
// body; callers scrub them of account identifiers before they leave the server.
#pragma once

#include "base/json.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace bmcp::upstream {

struct UpstreamError {
  std::string code;            // see above
  std::string message;         // plain words
  int http_status = 0;         // 0 when no HTTP answer arrived
  std::string correlation_id;  // the broker's request id (Schwab-Client-CorrelId)
  std::int64_t retry_after_ms = 0;
  bool outcome_unknown = false;  // a mutation whose answer never arrived

  // "rate_limited: Schwab is limiting requests... (HTTP 429; Schwab correlation id 1f0c…;
  // try again in 3 s)". The code comes first so clients and tests can match it.
  std::string describe(std::string_view broker_label) const;
  Json to_json() const;
};

// The error code for a broker's HTTP status (only meaningful for status >= 400).
std::string_view code_for_status(int status);

// An error for a broker's HTTP answer: the code for its status, the broker's own message
// when it gave one, else a plain default for the code.
UpstreamError error_for_status(int status, std::string broker_message,
                               std::string_view broker_label);

// A short, single-line excerpt: control characters become spaces, at most `max` bytes
// (cut on a UTF-8 boundary, with "…").
std::string short_text(std::string_view text, std::size_t max = 300);

}  // namespace bmcp::upstream
