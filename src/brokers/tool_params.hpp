// The one way a broker tool declares its parameters and the members of its answer: typed
// rows (ToolParam), turned into the tool's inputSchema and outputSchema when the catalog is
// built. Both brokers' tools use them, so a parameter of one kind reads the same at either
// broker, and no schema is ever written as JSON text.
//
// Guarantee: a table the rows cannot describe — a name given twice, an enum without values,
// an integer enum whose values are not integers, a minimum above its maximum, a row without a
// name — yields no schema at all (a null Json), which the declarations test refuses
// (tests/unit/app/tool_declarations_test.cpp); never `{}`, which would accept any arguments.
#pragma once

#include "base/json.hpp"

#include <cstdint>
#include <optional>
#include <span>

namespace bmcp::brokers {

// What one value is, as JSON Schema (2020-12) says it.
enum class ParamType : std::uint8_t {
  String,         // {"type":"string"}; `min_length`
  Date,           // a day: {"type":"string","format":"date"} (YYYY-MM-DD)
  Integer,        // `minimum`, `maximum`
  Number,         // `minimum`, `maximum`
  Boolean,        //
  Enum,           // a string of `choices`
  IntegerEnum,    // an integer of `choices` ("0|1|5")
  StringArray,    // an array of strings (of `choices` when given)
  StringOrList,   // one string ("AAPL,SPY") or an array of strings (of `choices` when given)
  TextOrInteger,  // a string or an integer: ids and epoch times a model may quote
  Array,          // an array of anything (answers only)
  Object,         // an object of any shape (answers only)
};

// One parameter of a tool (or one member of its answer). `choices` lists values with "|";
// `required` means the caller must give it (for an answer: the member is always there).
struct ToolParam {
  const char* name = nullptr;
  ParamType type = ParamType::String;
  const char* description = nullptr;  // nullptr: none (answers only; inputs are all described)
  const char* choices = nullptr;
  bool required = false;
  std::optional<std::int64_t> minimum = std::nullopt;
  std::optional<std::int64_t> maximum = std::nullopt;
  std::int64_t min_length = 0;
};

// The schema of one value.
Json param_schema(const ToolParam& param);

// A tool's inputSchema: an object of exactly these parameters (additionalProperties false),
// `required` listing the required ones in table order. Null when the rows are broken.
Json input_schema(std::span<const ToolParam> params);

// A tool's outputSchema: the answer's members and those always present; other members are
// allowed (an answer that was capped carries a "_truncated" note). Null when broken.
Json output_schema(std::span<const ToolParam> members);

// The values of a "A|B|C" choices text.
std::vector<std::string> split_choices(const char* choices);

}  // namespace bmcp::brokers
