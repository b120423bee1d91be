// Validation of `tools/call` arguments against a tool's `inputSchema` (MCP 2025-11-25
// server/tools; the default dialect is JSON Schema 2020-12). The result is a list of
// violations, each with the path of the offending value ("arguments.legs[1].quantity") and a
// message that says what was expected and what was received, so a model can fix its call.
//
// Guarantees: no exceptions, no I/O, no state between calls. The schema is trusted (it is
// ours); the instance is not: any instance, however large or deep, yields violations rather
// than a crash. Instances nested deeper than kMaxInstanceDepth are rejected whatever the
// schema says, which also lets later code recurse over accepted arguments safely.
//
// Supported (2020-12 subset used by tool schemas): boolean schemas, type, enum, const,
// properties, required, additionalProperties, minProperties, maxProperties, items,
// prefixItems, minItems, maxItems, uniqueItems, minimum, maximum, exclusiveMinimum,
// exclusiveMaximum, multipleOf, minLength, maxLength (code points), format (date,
// date-time, email, uri), allOf, anyOf, oneOf, not, if/then/else, and $ref to a JSON Pointer inside
// the same schema ("#", "#/$defs/name", ...; no percent-decoding). A $ref that does not resolve is
// a violation ("schema error: ..."), never a silent pass.
//
// `format` asserts (2020-12 makes it an annotation by default; tools want the check) and is
// lenient: date is RFC 3339 full-date with real month lengths; date-time is RFC 3339 with a
// required offset, accepting 't' or ' ' as separator and second 60 on any day; email is
// local@domain without spaces or empty domain labels; uri is an absolute RFC 3986 URI
// (a scheme, ASCII, no forbidden characters, well-formed %HH).
//
// Nothing else is checked — no `pattern` or `patternProperties` (a regular-expression
// engine is code no tool of ours needs), no contains, dependent*, propertyNames,
// unevaluated*, other formats. 2020-12 would have a validator ignore what it
// does not know, which would let such a keyword in a tool's schema promise a check that
// never happens; so unchecked_schema_keywords() names every one, and a server refuses to
// start with a tool whose inputSchema has any (app/app.hpp). Annotations (title,
// description, default, examples, $schema, $comment, deprecated, readOnly, writeOnly) are
// ignored, as they must be, and so are x-mcp-header (mcp/mirrored_headers.hpp) and the
// identifiers $id and $anchor (a $ref to one does not resolve: a violation, never a pass).
#pragma once

#include "base/json.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bmcp::mcp {

struct SchemaViolation {
  std::string path;     // e.g. "arguments.legs[1].quantity"
  std::string message;  // e.g. "must be >= 1, got 0"
};

// At most this many violations are listed; when more exist, one further entry (at the root
// path) says so.
inline constexpr std::size_t kMaxViolations = 10;
inline constexpr int kMaxInstanceDepth = 64;

// Every violation of `schema` by `instance` (bounded as above); empty when valid.
std::vector<SchemaViolation> validate_against_schema(const Json& schema, const Json& instance,
                                                     std::string_view root_path = "arguments");

// Where `schema` uses a keyword (or a format) the validator does not check, or a checked
// keyword with a value of the wrong shape (which would check nothing), as JSON Pointers
// into the schema ("/properties/symbol/pattern"); empty when it checks everything it says.
std::vector<std::string> unchecked_schema_keywords(const Json& schema);

// One line for a -32602 message or an isError result:
// "arguments.symbol: expected string, got number; arguments: missing required property \"side\""
std::string describe_violations(const std::vector<SchemaViolation>& violations);

}  // namespace bmcp::mcp
