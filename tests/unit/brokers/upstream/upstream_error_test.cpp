// The error codes of a broker failure: spelled on the wire in one place, each its own word,
// and the same words as before the codes were typed (clients and logs match on them).
#include <catch2/catch.hpp>

#include "brokers/upstream/upstream_error.hpp"

#include <set>

using namespace bmcp::upstream;

TEST_CASE("every broker error code has its own wire name", "[upstream][errors]") {
  const std::pair<ErrorCode, const char*> expected[] = {
      {ErrorCode::InvalidToken, "invalid_token"},
      {ErrorCode::InsufficientScope, "insufficient_scope"},
      {ErrorCode::NotFound, "not_found"},
      {ErrorCode::RateLimited, "rate_limited"},
      {ErrorCode::ServerError, "server_error"},
      {ErrorCode::NetworkError, "network_error"},
      {ErrorCode::InvalidResponse, "invalid_response"},
      {ErrorCode::InvalidRequest, "invalid_request"},
      {ErrorCode::InternalError, "internal_error"},
  };
  std::set<std::string_view> names;
  for (const auto& [code, name] : expected) {
    CHECK(wire_name(code) == name);
    names.insert(wire_name(code));
  }
  CHECK(names.size() == std::size(expected));
}

TEST_CASE("an HTTP status names its error code, and the code leads the words",
          "[upstream][errors]") {
  CHECK(code_for_status(401) == ErrorCode::InvalidToken);
  CHECK(code_for_status(403) == ErrorCode::InsufficientScope);
  CHECK(code_for_status(404) == ErrorCode::NotFound);
  CHECK(code_for_status(408) == ErrorCode::NetworkError);
  CHECK(code_for_status(429) == ErrorCode::RateLimited);
  CHECK(code_for_status(503) == ErrorCode::ServerError);
  CHECK(code_for_status(422) == ErrorCode::InvalidRequest);
  UpstreamError e = error_for_status(429, "Too many", "Schwab");
  CHECK(e.describe("Schwab").rfind("rate_limited: Schwab is limiting requests", 0) == 0);
  CHECK(e.to_json()["code"] == "rate_limited");
  CHECK(e.to_json()["httpStatus"] == 429);
}
