#include "brokers/upstream/upstream_error.hpp"

#include <algorithm>

namespace bmcp::upstream {

std::string_view wire_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidToken: return "invalid_token";
    case ErrorCode::InsufficientScope: return "insufficient_scope";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::RateLimited: return "rate_limited";
    case ErrorCode::ServerError: return "server_error";
    case ErrorCode::NetworkError: return "network_error";
    case ErrorCode::InvalidResponse: return "invalid_response";
    case ErrorCode::InvalidRequest: return "invalid_request";
    case ErrorCode::InternalError: return "internal_error";
  }
  return "internal_error";
}

ErrorCode code_for_status(int status) {
  if (status == 401) return ErrorCode::InvalidToken;
  if (status == 403) return ErrorCode::InsufficientScope;
  if (status == 404) return ErrorCode::NotFound;
  if (status == 408) return ErrorCode::NetworkError;
  if (status == 429) return ErrorCode::RateLimited;
  if (status >= 500) return ErrorCode::ServerError;
  return ErrorCode::InvalidRequest;
}

namespace {
std::string default_message(ErrorCode code, std::string_view label) {
  std::string l(label);
  switch (code) {
    case ErrorCode::InvalidToken: return l + " no longer accepts this sign-in; sign in again.";
    case ErrorCode::InsufficientScope: return l + " does not allow this request for this sign-in.";
    case ErrorCode::NotFound: return l + " did not find what was asked for.";
    case ErrorCode::RateLimited: return l + " is limiting requests; wait a moment and try again.";
    case ErrorCode::ServerError: return l + " had a problem answering; try again shortly.";
    case ErrorCode::NetworkError: return l + " could not be reached; try again shortly.";
    default: return l + " rejected the request.";
  }
}
}  // namespace

UpstreamError error_for_status(int status, std::string broker_message, std::string_view label) {
  UpstreamError e;
  e.http_status = status;
  e.code = code_for_status(status);
  std::string base = default_message(e.code, label);
  e.message = broker_message.empty()
                  ? base
                  : base + " " + std::string(label) + " said: " + short_text(broker_message);
  return e;
}

std::string short_text(std::string_view text, std::size_t max) {
  std::string out;
  out.reserve(std::min(text.size(), max + 4));
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() <= max) return out;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  return out + "\u2026";
}

std::string UpstreamError::describe(std::string_view label) const {
  std::string out = std::string(wire_name(code)) + ": " + message;
  std::string details;
  auto add = [&](const std::string& d) { details += (details.empty() ? "" : "; ") + d; };
  if (http_status) add("HTTP " + std::to_string(http_status));
  if (!correlation_id.empty()) add(std::string(label) + " correlation id " + correlation_id);
  if (retry_after_ms > 0)
    add("try again in " + std::to_string((retry_after_ms + 999) / 1000) + " s");
  if (!details.empty()) out += " (" + details + ")";
  return out;
}

Json UpstreamError::to_json() const {
  Json out = {{"code", wire_name(code)}, {"message", message}};
  if (http_status) out["httpStatus"] = http_status;
  if (!correlation_id.empty()) out["correlationId"] = correlation_id;
  if (retry_after_ms > 0) out["retryAfterSeconds"] = (retry_after_ms + 999) / 1000;
  if (outcome_unknown) out["outcomeUnknown"] = true;
  return out;
}

}  // namespace bmcp::upstream
