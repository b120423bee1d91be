// The one parse of untrusted JSON, depth-limited. parse_json (base/json.hpp) is this parse
// without the reason; every document from outside — request bodies, broker answers,
// metadata documents, tokens' payloads, the host's envelopes — is read through it.
//
// A document nested deeper than kMaxJsonDepth arrays/objects is refused while it is being
// read, before any tree is built: nlohmann's copy, comparison and dump recurse once per
// level, as do the core's own walks (JSON-RPC classification, schema validation,
// scrubbing), so unbounded depth would overflow the stack and trap the module. With every
// tree at most kMaxJsonDepth deep, all of them are bounded.
#pragma once

#include "base/json.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace bmcp {

// The deepest nesting any parse accepts ("[[1]]" is depth 2). MCP messages, broker answers
// and OAuth metadata stay far below it.
inline constexpr int kMaxJsonDepth = 64;

enum class JsonFailure { kNone, kSyntax, kTooDeep };

struct JsonParse {
  std::optional<Json> value;  // set exactly when failure == kNone
  JsonFailure failure = JsonFailure::kNone;
};

// Parses text, refusing syntax errors, text that is not UTF-8, and nesting deeper than
// kMaxJsonDepth (so a hostile document costs no more than its first kMaxJsonDepth + 1
// opening brackets).
JsonParse parse_json_checked(std::string_view text);

// "invalid JSON" / "JSON nested deeper than 64 levels": for error messages.
std::string json_failure_text(JsonFailure failure);

}  // namespace bmcp
