// Test-only: parses JSON with no depth limit, to build trees deeper than kMaxJsonDepth. No
// input can produce such a tree any more (base/json_parse.hpp refuses it while parsing);
// tests of the second lines of defence (schema validation, scrubbing, log redaction) still
// need one to prove those walks are bounded on their own.
#pragma once

#include "base/json.hpp"

#include <optional>
#include <string_view>

namespace bmcp::testing {

inline std::optional<Json> parse_json_unbounded(std::string_view text) {
  Json value = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return std::nullopt;
  return value;
}

}  // namespace bmcp::testing
