// What went wrong talking to a broker, in terms a person and a model can act on: a code
// (ErrorCode, written on the wire by wire_name, the one place that spells it) and plain
// words. Messages are short plain words taken from the broker's error fields, never a raw
// body; callers scrub them of account identifiers before they leave the server.
#pragma once

#include "base/json.hpp"
#include "base/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace bmcp::upstream {

// What kind of failure it was. From an HTTP answer: 401 InvalidToken, 403
// InsufficientScope, 404 NotFound, 408 NetworkError, 429 RateLimited, 5xx ServerError, any
// other 4xx InvalidRequest.
enum class ErrorCode : std::uint8_t {
  InvalidToken,       // the broker refused the sign-in (or there is none)
  InsufficientScope,  // the sign-in may not do this
  NotFound,
  RateLimited,      // the broker's limit or this deployment's budget
  ServerError,      // the broker failed (or the sign-in could not be checked)
  NetworkError,     // no answer in time
  InvalidResponse,  // a 2xx answer whose body is not JSON
  InvalidRequest,   // the broker (or this server, before sending) refused the arguments
  InternalError,    // this server could not finish the answer
};

// The code as clients, logs and tests read it ("invalid_token", ...).
std::string_view wire_name(ErrorCode code);

struct UpstreamError {
  ErrorCode code = ErrorCode::InternalError;
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

// What a step that asks a broker gives: its value, or the broker's failure.
template <class T>
using Outcome = Result<T, UpstreamError>;

// The error code for a broker's HTTP status (only meaningful for status >= 400).
ErrorCode code_for_status(int status);

// An error for a broker's HTTP answer: the code for its status, the broker's own message
// when it gave one, else a plain default for the code.
UpstreamError error_for_status(int status, std::string broker_message,
                               std::string_view broker_label);

// A short, single-line excerpt: control characters become spaces, at most `max` bytes
// (cut on a UTF-8 boundary, with "…").
std::string short_text(std::string_view text, std::size_t max = 300);

}  // namespace bmcp::upstream
