// The depth-limited JSON parse every untrusted document goes through (src/base/json.hpp):
// nesting is counted while reading, refused past kMaxJsonDepth, told apart from syntax
// errors, and never costs more than reading the first levels.
#include <catch2/catch.hpp>

#include "base/json_parse.hpp"

#include <chrono>
#include <string>

using namespace bmcp;

namespace {
std::string nested_arrays(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }
std::string nested_objects(int depth) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += R"({"a":)";
  s += "1";
  s += std::string(depth, '}');
  return s;
}
}  // namespace

TEST_CASE("nesting up to kMaxJsonDepth parses, one level more is refused as too deep",
          "[json][depth]") {
  for (auto make : {nested_arrays, nested_objects}) {
    JsonParse at_limit = parse_json_checked(make(kMaxJsonDepth));
    REQUIRE(at_limit.failure == JsonFailure::kNone);
    REQUIRE(at_limit.value.has_value());
    JsonParse past = parse_json_checked(make(kMaxJsonDepth + 1));
    CHECK(past.failure == JsonFailure::kTooDeep);
    CHECK_FALSE(past.value.has_value());
    CHECK_FALSE(parse_json(make(kMaxJsonDepth + 1)).has_value());
  }
  // Mixed containers count alike; siblings do not add depth.
  CHECK(parse_json_checked(R"([{"a":[{"b":[1,2,{"c":{}}]}]},[[]],[[]]])").failure ==
        JsonFailure::kNone);
  std::string siblings = "[";
  for (int i = 0; i < 10000; ++i) siblings += (i ? "," : "") + nested_arrays(kMaxJsonDepth - 1);
  siblings += "]";
  CHECK(parse_json_checked(siblings).failure == JsonFailure::kNone);
}

TEST_CASE("100,000 levels are refused at once, without reading or building the rest",
          "[json][depth]") {
  const int depth = 100'000;
  for (const std::string& text :
       {nested_arrays(depth), nested_objects(depth), "[" + std::string(depth, '[')}) {
    auto start = std::chrono::steady_clock::now();
    JsonParse parsed = parse_json_checked(text);
    auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(parsed.failure == JsonFailure::kTooDeep);
    CHECK(elapsed < std::chrono::milliseconds(200));
  }
  // Inside a string, brackets are text, not depth.
  JsonParse quoted = parse_json_checked("\"" + std::string(depth, '[') + "\"");
  CHECK(quoted.failure == JsonFailure::kNone);
}

TEST_CASE("syntax errors stay syntax errors, with their own wording", "[json][depth]") {
  for (const char* bad : {"", "{", "[1,2", "{\"a\":}", "[] x", "\"\\ud800\"", "nul", "01"}) {
    INFO(bad);
    CHECK(parse_json_checked(bad).failure == JsonFailure::kSyntax);
  }
  CHECK(parse_json_checked("\xff\xfe").failure == JsonFailure::kSyntax);
  // A syntax error after the limit was crossed is still reported as too deep (found first).
  CHECK(parse_json_checked(nested_arrays(kMaxJsonDepth + 1) + "x").failure ==
        JsonFailure::kTooDeep);
  CHECK(json_failure_text(JsonFailure::kSyntax) == "invalid JSON");
  CHECK(json_failure_text(JsonFailure::kTooDeep) == "JSON nested deeper than 64 levels");
}

TEST_CASE("ordinary documents parse as before", "[json][depth]") {
  JsonParse parsed = parse_json_checked(
      R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":[1,2.5,"x",true,null]}})");
  REQUIRE(parsed.failure == JsonFailure::kNone);
  CHECK((*parsed.value)["params"]["a"][1].get<double>() == 2.5);
  CHECK(parse_json("1e999999") == std::nullopt);  // out of range: nlohmann refuses it, as before
  CHECK(parse_json("  [1] \n").has_value());
}
