// Tool-argument validation: each supported keyword accepting and rejecting, the paths and
// messages a model sees, and hostile instances that must produce violations, not crashes.
#include "support/unbounded_json.hpp"
#include "mcp/json_schema.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <limits>
#include <string>
#include <utility>
#include <vector>

using namespace bmcp;
using namespace bmcp::mcp;

namespace {

// Unbounded: these tests build instances deeper than any parse of input may (the
// validator's own depth guard is what they prove).
Json parse(const std::string& text) {
  auto v = testing::parse_json_unbounded(text);
  REQUIRE(v.has_value());
  return std::move(*v);  // a copy would recurse through a deeply nested value
}

std::vector<SchemaViolation> check(const std::string& schema, const std::string& instance) {
  return validate_against_schema(parse(schema), parse(instance));
}

bool valid(const std::string& schema, const std::string& instance) {
  return check(schema, instance).empty();
}

// The single violation expected, as "path: message".
std::string only(const std::string& schema, const std::string& instance) {
  const auto v = check(schema, instance);
  REQUIRE(v.size() == 1);
  return v[0].path + ": " + v[0].message;
}

std::string nested_arrays(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

}  // namespace

TEST_CASE("type accepts the named JSON types and names what arrived", "[mcp][schema][type]") {
  SECTION("each type name") {
    CHECK(valid(R"({"type":"string"})", R"("x")"));
    CHECK(valid(R"({"type":"number"})", "1.5"));
    CHECK(valid(R"({"type":"integer"})", "-7"));
    CHECK(valid(R"({"type":"boolean"})", "false"));
    CHECK(valid(R"({"type":"null"})", "null"));
    CHECK(valid(R"({"type":"array"})", "[]"));
    CHECK(valid(R"({"type":"object"})", "{}"));
    CHECK(only(R"({"type":"string"})", "42") == "arguments: expected string, got number");
    CHECK(only(R"({"type":"object"})", "[1]") == "arguments: expected object, got array");
    CHECK(only(R"({"type":"boolean"})", R"("true")") == "arguments: expected boolean, got string");
    CHECK(only(R"({"type":"null"})", "0") == "arguments: expected null, got number");
  }
  SECTION("integer is a number with no fractional part, whatever its spelling") {
    CHECK(valid(R"({"type":"integer"})", "3.0"));
    CHECK(valid(R"({"type":"integer"})", "1e3"));
    CHECK(valid(R"({"type":"integer"})", "18446744073709551615"));
    CHECK(only(R"({"type":"integer"})", "3.5") == "arguments: expected integer, got number 3.5");
    CHECK(valid(R"({"type":"number"})", "3"));
  }
  SECTION("a list of types") {
    CHECK(valid(R"({"type":["string","null"]})", "null"));
    CHECK(valid(R"({"type":["string","null"]})", R"("a")"));
    CHECK(only(R"({"type":["string","null"]})", "1") ==
          "arguments: expected string or null, got number");
    CHECK(only(R"({"type":["string","integer","null"]})", "true") ==
          "arguments: expected string, integer or null, got boolean");
  }
  SECTION("boolean schemas") {
    CHECK(valid("true", R"({"anything":[1,2]})"));
    CHECK(only("false", "1") == "arguments: no value is allowed here, got 1");
    CHECK(only(R"({"type":[]})", "1") == "arguments: no value of type number is allowed here");
  }
  SECTION("unknown keywords and annotations are ignored") {
    CHECK(valid(
        R"({"type":"string","title":"T","description":"d","default":"x","x-vendor":1,"examples":["a"]})",
        R"("b")"));
  }
}

TEST_CASE("objects: properties, required, additionalProperties", "[mcp][schema][object]") {
  const std::string schema = R"({
    "type":"object",
    "properties":{"symbol":{"type":"string"},"quantity":{"type":"integer"}},
    "required":["symbol","side"],
    "additionalProperties":false})";
  SECTION("valid") {
    CHECK(valid(schema, R"({"symbol":"AAPL","side":"buy","quantity":1})") == false);
  }
  SECTION("every problem is listed with its path") {
    const auto v = check(schema, R"({"symbol":5,"quantity":2.5,"note":"x"})");
    REQUIRE(v.size() == 4);
    CHECK(v[0].path == "arguments");
    CHECK(v[0].message == "missing required property \"side\"");
    // Properties are visited in key order: note, quantity, symbol.
    CHECK(v[1].path == "arguments");
    CHECK(v[1].message == "unexpected property \"note\"; allowed: quantity, symbol");
    CHECK(v[2].path == "arguments.quantity");
    CHECK(v[2].message == "expected integer, got number 2.5");
    CHECK(v[3].path == "arguments.symbol");
    CHECK(v[3].message == "expected string, got number");
  }
  SECTION("a described, complete object passes") {
    const std::string open =
        R"({"type":"object","properties":{"symbol":{"type":"string"}},"required":["symbol"]})";
    CHECK(valid(open, R"({"symbol":"AAPL","extra":true})"));
    CHECK(only(open, "{}") == "arguments: missing required property \"symbol\"");
  }
  SECTION("no-argument tool schema") {
    const std::string none = R"({"type":"object","additionalProperties":false})";
    CHECK(valid(none, "{}"));
    CHECK(only(none, R"({"x":1})") ==
          "arguments: unexpected property \"x\"; no properties are allowed");
  }
  SECTION("additionalProperties as a schema") {
    const std::string map = R"({"type":"object","additionalProperties":{"type":"number"}})";
    CHECK(valid(map, R"({"a":1,"b":2.5})"));
    CHECK(only(map, R"({"a":1,"b":"x"})") == "arguments.b: expected number, got string");
  }
  SECTION("minProperties and maxProperties") {
    const std::string s = R"({"type":"object","minProperties":1,"maxProperties":2})";
    CHECK(valid(s, R"({"a":1})"));
    CHECK(only(s, "{}") == "arguments: must have at least 1 properties, got 0");
    CHECK(only(s, R"({"a":1,"b":2,"c":3})") == "arguments: must have at most 2 properties, got 3");
  }
  SECTION("keys that are not identifiers are quoted in paths") {
    const std::string s = R"({"additionalProperties":{"type":"string"}})";
    CHECK(only(s, R"({"two words":1})") ==
          R"(arguments["two words"]: expected string, got number)");
    CHECK(only(s, R"({"q\"x":1})") == R"(arguments["q\"x"]: expected string, got number)");
    CHECK(only(s, R"({"1st":1})") == R"(arguments["1st"]: expected string, got number)");
  }
}

TEST_CASE("arrays: items, prefixItems, minItems, maxItems, uniqueItems", "[mcp][schema][array]") {
  SECTION("items applies to every element, with indexed paths") {
    const std::string s = R"({"type":"array","items":{"type":"integer","minimum":0}})";
    CHECK(valid(s, "[0,1,2]"));
    const auto v = check(s, R"([1,"two",-3])");
    REQUIRE(v.size() == 2);
    CHECK(v[0].path == "arguments[1]");
    CHECK(v[0].message == "expected integer, got string");
    CHECK(v[1].path == "arguments[2]");
    CHECK(v[1].message == "must be >= 0, got -3");
  }
  SECTION("prefixItems, then items for the rest") {
    const std::string s =
        R"({"prefixItems":[{"type":"string"},{"type":"number"}],"items":{"type":"boolean"}})";
    CHECK(valid(s, R"(["a",1,true,false])"));
    CHECK(valid(s, R"(["a"])"));
    CHECK(only(s, R"(["a",1,"x"])") == "arguments[2]: expected boolean, got string");
    CHECK(only(s, R"([1])") == "arguments[0]: expected string, got number");
    const std::string closed = R"({"prefixItems":[{"type":"string"}],"items":false})";
    CHECK(valid(closed, R"(["a"])"));
    CHECK(only(closed, R"(["a","b"])") == "arguments: must have at most 1 items, got 2");
  }
  SECTION("minItems and maxItems") {
    const std::string s = R"({"type":"array","minItems":1,"maxItems":2})";
    CHECK(valid(s, "[1]"));
    CHECK(only(s, "[]") == "arguments: must have at least 1 items, got 0");
    CHECK(only(s, "[1,2,3]") == "arguments: must have at most 2 items, got 3");
  }
  SECTION("uniqueItems compares by JSON value") {
    const std::string s = R"({"uniqueItems":true})";
    CHECK(valid(s, R"([1,"1",true,null,[1],{"a":1},1.5])"));
    CHECK(only(s, "[1,2,1.0]") == "arguments: items must be unique, but items 0 and 2 are equal");
    CHECK(!valid(s, R"([{"a":1,"b":[2]},{"b":[2.0],"a":1}])"));
    CHECK(valid(s, R"([{"a":1},{"a":2}])"));
    CHECK(valid(R"({"uniqueItems":false})", "[1,1]"));
  }
}

TEST_CASE("enum and const", "[mcp][schema][enum]") {
  SECTION("enum lists the allowed values and what arrived") {
    const std::string s = R"({"type":"string","enum":["buy","sell","buy_to_open"]})";
    CHECK(valid(s, R"("sell")"));
    CHECK(only(s, R"("hold")") ==
          R"(arguments: must be one of "buy", "sell", "buy_to_open", got "hold")");
  }
  SECTION("a type mismatch is not reported twice") {
    CHECK(only(R"({"type":"string","enum":["a"]})", "1") ==
          "arguments: expected string, got number");
  }
  SECTION("numbers compare by value; mixed and structured members") {
    CHECK(valid(R"({"enum":[1,2,3]})", "2.0"));
    CHECK(valid(R"({"enum":[null,{"a":[1]}]})", R"({"a":[1]})"));
    CHECK(only(R"({"enum":[1,2]})", "3") == "arguments: must be one of 1, 2, got 3");
  }
  SECTION("a long list is shortened") {
    std::string values;
    for (int i = 0; i < 100; ++i) {
      values += i ? ",\"value_" : "\"value_";
      values += std::to_string(i);
      values += '"';
    }
    const std::string message = only(R"({"enum":[)" + values + "]}", R"("nope")");
    CHECK(message.size() < 400);
    CHECK(message.find("more)") != std::string::npos);
    CHECK(message.find("got \"nope\"") != std::string::npos);
  }
  SECTION("const") {
    CHECK(valid(R"({"const":"limit"})", R"("limit")"));
    CHECK(only(R"({"const":"limit"})", R"("market")") ==
          R"(arguments: must be "limit", got "market")");
    CHECK(only(R"({"const":{"a":1}})", R"({"a":2})") ==
          R"(arguments: must be {"a":1}, got an object with 1 properties)");
  }
}

TEST_CASE("numeric bounds and multipleOf", "[mcp][schema][number]") {
  SECTION("inclusive and exclusive bounds") {
    const std::string s =
        R"({"minimum":1,"maximum":10,"exclusiveMinimum":0,"exclusiveMaximum":100})";
    CHECK(valid(s, "1"));
    CHECK(valid(s, "10"));
    CHECK(only(s, "0.5") == "arguments: must be >= 1, got 0.5");
    CHECK(only(s, "11") == "arguments: must be <= 10, got 11");
    CHECK(only(R"({"exclusiveMinimum":0})", "0") == "arguments: must be > 0, got 0");
    CHECK(only(R"({"exclusiveMaximum":100})", "100") == "arguments: must be < 100, got 100");
    CHECK(valid(R"({"exclusiveMinimum":0})", "0.0001"));
  }
  SECTION("bounds compare exactly across integer and real storage") {
    CHECK(valid(R"({"maximum":18446744073709551615})", "18446744073709551615"));
    CHECK(!valid(R"({"maximum":9223372036854775807})", "9223372036854775808"));
    CHECK(!valid(R"({"maximum":9007199254740992})", "9007199254740993"));
    CHECK(valid(R"({"minimum":-9223372036854775808})", "-9223372036854775808"));
    CHECK(!valid(R"({"minimum":-9223372036854775807})", "-9223372036854775808"));
    CHECK(!valid(R"({"maximum":1})", "1.0000001"));
    CHECK(valid(R"({"minimum":1.5})", "2"));
    CHECK(!valid(R"({"minimum":2.5})", "2"));
    CHECK(!valid(R"({"maximum":100})", "1e300"));
  }
  SECTION("multipleOf") {
    CHECK(valid(R"({"multipleOf":5})", "25"));
    CHECK(only(R"({"multipleOf":5})", "26") == "arguments: must be a multiple of 5, got 26");
    CHECK(valid(R"({"multipleOf":0.01})", "19.99"));
    CHECK(valid(R"({"multipleOf":0.1})", "0.3"));
    CHECK(only(R"({"multipleOf":0.01})", "1.005") ==
          "arguments: must be a multiple of 0.01, got 1.005");
    CHECK(valid(R"({"multipleOf":2})", "18446744073709551614"));
    CHECK(!valid(R"({"multipleOf":2})", "18446744073709551615"));
    CHECK(valid(R"({"multipleOf":3})", "-9"));
    // The quotient overflows a double: not a multiple (and no crash).
    CHECK(!valid(R"({"multipleOf":0.123456789})", "1e308"));
    // A nonsensical divisor in our own schema is ignored.
    CHECK(valid(R"({"multipleOf":0})", "7"));
  }
}

TEST_CASE("string length counts code points", "[mcp][schema][string]") {
  const std::string s = R"({"type":"string","minLength":2,"maxLength":5})";
  CHECK(valid(s, R"("ab")"));
  CHECK(valid(s, "\"h\xC3\xA9llo\""));                      // é is two bytes, one code point
  CHECK(valid(s, "\"\xF0\x9F\x93\x88\xF0\x9F\x93\x89\""));  // two emoji, eight bytes
  CHECK(only(s, R"("a")") == R"(arguments: must be at least 2 characters long, got 1: "a")");
  CHECK(only(s, R"("abcdef")") ==
        R"(arguments: must be at most 5 characters long, got 6: "abcdef")");
}

TEST_CASE("if/then/else: the condition chooses the branch that applies", "[mcp][schema]") {
  const std::string s = R"({"type":"object","if":{"required":["address"]},
    "then":{"properties":{"address":{"required":["city"]}}},
    "else":{"required":["name"]}})";
  CHECK(valid(s, R"({"address":{"city":"Oslo"}})"));
  CHECK(only(s, R"({"address":{}})") == R"(arguments.address: missing required property "city")");
  CHECK(valid(s, R"({"name":"x"})"));
  CHECK(only(s, "{}") == R"(arguments: missing required property "name")");
  // `if` alone constrains nothing.
  CHECK(valid(R"({"if":{"type":"string"}})", "1"));
}

TEST_CASE("every keyword the validator would not check is named", "[mcp][schema][keywords]") {
  auto unchecked = [](const char* schema) { return unchecked_schema_keywords(parse(schema)); };
  using List = std::vector<std::string>;
  // What the validator checks, with annotations, anywhere in the schema: nothing to name.
  CHECK(unchecked(R"({"type":"object","title":"t","description":"d","$schema":"x",
    "properties":{"symbol":{"type":"string","minLength":1,"maxLength":9,"examples":["A"]},
      "when":{"type":"string","format":"date-time","default":"x"},
      "legs":{"type":"array","minItems":1,"items":{"$ref":"#/$defs/leg"}},
      "mode":{"anyOf":[{"const":"a"},{"enum":["b"]}]}},
    "$defs":{"leg":{"type":"object","properties":{"q":{"type":"integer","minimum":1,
      "multipleOf":1}},"required":["q"],"additionalProperties":false}},
    "required":["symbol"],"additionalProperties":false})")
            .empty());
  CHECK(unchecked("true").empty());
  // Each unchecked keyword, however deep, by its place in the schema.
  CHECK(unchecked(R"({"type":"string","pattern":"^[A-Z]+$"})") == List{"/pattern"});
  CHECK(unchecked(R"({"properties":{"a":{"type":"string","pattern":"x"}}})") ==
        List{"/properties/a/pattern"});
  CHECK(unchecked(R"({"patternProperties":{"^x":{}}})") == List{"/patternProperties"});
  CHECK(unchecked(R"({"items":{"anyOf":[{"type":"string"},{"contains":{}}]}})") ==
        List{"/items/anyOf/1/contains"});
  CHECK(unchecked(R"({"$defs":{"d":{"if":{"pattern":"a"},"then":{},"else":{"contains":{}}}}})") ==
        List{"/$defs/d/else/contains", "/$defs/d/if/pattern"});
  CHECK(unchecked(R"({"propertyNames":{},"x-vendor":1,"unevaluatedProperties":false})") ==
        List{"/propertyNames", "/unevaluatedProperties", "/x-vendor"});
  CHECK(unchecked(R"({"type":"string","format":"ipv4"})") == List{"/format"});
  CHECK(unchecked(R"({"not":{"dependentRequired":{}}})") == List{"/not/dependentRequired"});
  // The older tuple form of items is walked like prefixItems.
  CHECK(unchecked(R"({"items":[{"type":"string"},{"type":"string","pattern":"^[A-Z]+$"}]})") ==
        List{"/items/1/pattern"});
  // A checked keyword whose value has a shape the validator would pass over checks nothing.
  CHECK(unchecked(R"({"type":"object","required":"id","properties":{
    "a":{"type":"strng"},"b":{"type":["string",1]},"c":{"type":[]},
    "d":{"type":"integer","minimum":"1","maximum":null,"multipleOf":0},
    "e":{"type":"string","minLength":-1,"maxLength":2.5},
    "f":{"type":"array","minItems":"1","uniqueItems":"yes","items":5},
    "g":{"enum":"a"},"h":{"anyOf":[]},"i":{"allOf":{"type":"string"}},"j":{"not":"x"}}})") ==
        List{"/properties/a/type", "/properties/b/type", "/properties/c/type",
             "/properties/d/maximum", "/properties/d/minimum", "/properties/d/multipleOf",
             "/properties/e/maxLength", "/properties/e/minLength", "/properties/f/items",
             "/properties/f/minItems", "/properties/f/uniqueItems", "/properties/g/enum",
             "/properties/h/anyOf", "/properties/i/allOf", "/properties/j/not", "/required"});
  // The same keywords well formed, including the forms that are easy to refuse by mistake.
  CHECK(unchecked(R"({"type":["string","null"],"minLength":0,"maxLength":1.0,"minimum":-1.5,
    "exclusiveMaximum":1e3,"multipleOf":0.01,"uniqueItems":false,"enum":[],"const":null,
    "required":[],"items":true,"not":false,"oneOf":[true]})")
            .empty());
  // A $ref that points nowhere would fail every call, or under `not`/`if` choose silently.
  CHECK(unchecked(R"({"$defs":{"a":{"type":"string"}},"properties":{"x":{"$ref":"#/$defs/a"},
    "y":{"not":{"$ref":"#/$defs/missing"}},"z":{"$ref":"https://example.com/s"}}})") ==
        List{"/properties/y/not/$ref", "/properties/z/$ref"});
}

TEST_CASE("format: date, date-time, email, uri", "[mcp][schema][format]") {
  auto ok = [](const char* format, const std::string& text) {
    Json schema = Json::object();
    schema["format"] = format;
    return validate_against_schema(schema, Json(text)).empty();
  };
  SECTION("date") {
    CHECK(ok("date", "2025-01-31"));
    CHECK(ok("date", "2024-02-29"));
    CHECK(!ok("date", "2025-02-29"));
    CHECK(!ok("date", "2025-13-01"));
    CHECK(!ok("date", "2025-1-31"));
    CHECK(!ok("date", "31/01/2025"));
    CHECK(only(R"({"format":"date"})", R"("tomorrow")") ==
          R"(arguments: must be a valid date (YYYY-MM-DD), got "tomorrow")");
  }
  SECTION("date-time") {
    CHECK(ok("date-time", "2025-01-31T14:30:00Z"));
    CHECK(ok("date-time", "2025-01-31T14:30:00.123-05:00"));
    CHECK(ok("date-time", "2025-01-31 14:30:00+01:00"));
    CHECK(!ok("date-time", "2025-01-31T14:30:00"));  // no offset
    CHECK(!ok("date-time", "2025-01-31T24:00:00Z"));
    CHECK(!ok("date-time", "2025-01-31"));
    CHECK(!ok("date-time", "2025-01-31T14:30:00.Z"));
  }
  SECTION("email") {
    CHECK(ok("email", "trader@example.com"));
    CHECK(!ok("email", "trader"));
    CHECK(!ok("email", "@example.com"));
    CHECK(!ok("email", "a b@example.com"));
    CHECK(!ok("email", "a@example..com"));
  }
  SECTION("uri") {
    CHECK(ok("uri", "https://example.com/a?b=c#d"));
    CHECK(ok("uri", "knowledge://docs/options%20basics"));
    CHECK(!ok("uri", "/relative/path"));
    CHECK(!ok("uri", "https://exa mple.com"));
    CHECK(!ok("uri", "https://example.com/%zz"));
  }
  SECTION("unknown formats and non-strings are ignored") {
    CHECK(ok("ipv4", "not an address"));
    CHECK(validate_against_schema(parse(R"({"format":"date"})"), parse("20250131")).empty());
  }
}

TEST_CASE("allOf, anyOf, oneOf, not", "[mcp][schema][combinators]") {
  SECTION("allOf reports every failing part") {
    const std::string s = R"({"allOf":[{"type":"integer"},{"minimum":10}]})";
    CHECK(valid(s, "12"));
    const auto v = check(s, "2.5");
    REQUIRE(v.size() == 2);
    CHECK(v[0].message == "expected integer, got number 2.5");
    CHECK(v[1].message == "must be >= 10, got 2.5");
  }
  SECTION("anyOf of types reads as a type union") {
    const std::string s = R"({"anyOf":[{"type":"string"},{"type":"null"}]})";
    CHECK(valid(s, "null"));
    CHECK(only(s, "5") == "arguments: expected string or null, got number");
  }
  SECTION("anyOf otherwise lists each alternative's reason") {
    const std::string s =
        R"({"anyOf":[{"type":"string","maxLength":3},{"type":"integer","minimum":0}]})";
    CHECK(valid(s, R"("abc")"));
    CHECK(valid(s, "4"));
    CHECK(
        only(s, "-1") ==
        "arguments: matches none of the 2 allowed alternatives: (1) expected string, got number | "
        "(2) must be >= 0, got -1");
  }
  SECTION("oneOf needs exactly one match") {
    const std::string s = R"({"oneOf":[{"type":"integer"},{"minimum":0}]})";
    CHECK(valid(s, "-1"));   // integer only
    CHECK(valid(s, "0.5"));  // minimum only
    CHECK(only(s, "1") ==
          "arguments: matches alternatives 1 and 2 of oneOf, but must match exactly one");
    CHECK(only(s, "-0.5") ==
          "arguments: matches none of the 2 allowed alternatives: (1) expected integer, got number "
          "-0.5 | "
          "(2) must be >= 0, got -0.5");
  }
  SECTION("discriminated oneOf shows nested paths") {
    const std::string s = R"({"oneOf":[
      {"type":"object","properties":{"kind":{"const":"equity"},"quantity":{"type":"integer"}},"required":["kind"]},
      {"type":"object","properties":{"kind":{"const":"option"},"contracts":{"type":"integer"}},"required":["kind","contracts"]}]})";
    CHECK(valid(s, R"({"kind":"equity","quantity":3})"));
    CHECK(valid(s, R"({"kind":"option","contracts":1})"));
    const std::string m = only(s, R"({"kind":"option"})");
    CHECK(m.find("arguments.kind: must be \"equity\", got \"option\"") != std::string::npos);
    CHECK(m.find("missing required property \"contracts\"") != std::string::npos);
  }
  SECTION("not") {
    const std::string s = R"({"not":{"enum":["",  "none"]}})";
    CHECK(valid(s, R"("AAPL")"));
    CHECK(only(s, R"("none")") ==
          R"(arguments: must not match the schema under "not", got "none")");
  }
}

TEST_CASE("$ref to local definitions", "[mcp][schema][ref]") {
  SECTION("#/$defs/... and sibling keywords both apply (2020-12)") {
    const std::string s = R"({"$defs":{"qty":{"type":"integer","minimum":1}},
      "type":"object","properties":{"quantity":{"$ref":"#/$defs/qty","maximum":100}}})";
    CHECK(valid(s, R"({"quantity":5})"));
    CHECK(only(s, R"({"quantity":0})") == "arguments.quantity: must be >= 1, got 0");
    CHECK(only(s, R"({"quantity":101})") == "arguments.quantity: must be <= 100, got 101");
  }
  SECTION("escaped pointer tokens and the root") {
    CHECK(!valid(R"({"$defs":{"a/b":{"type":"string"}},"$ref":"#/$defs/a~1b"})", "1"));
    CHECK(!valid(R"({"$defs":{"a~b":{"type":"string"}},"$ref":"#/$defs/a~0b"})", "1"));
    CHECK(!valid(R"({"definitions":{"x":{"type":"string"}},"$ref":"#/definitions/x"})", "1"));
  }
  SECTION("a recursive schema validates a tree") {
    const std::string s = R"({"$defs":{"node":{"type":"object","properties":{
      "value":{"type":"integer"},"children":{"type":"array","items":{"$ref":"#/$defs/node"}}}}},
      "$ref":"#/$defs/node"})";
    CHECK(valid(s, R"({"value":1,"children":[{"value":2,"children":[]}]})"));
    CHECK(only(s, R"({"value":1,"children":[{"value":2,"children":[{"value":"x"}]}]})") ==
          "arguments.children[0].children[0].value: expected integer, got string");
  }
  SECTION("a cycle that consumes no input stops with a violation") {
    const auto v = check(
        R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"})", "1");
    REQUIRE(v.size() == 1);
    CHECK(v[0].message.find("nesting too deep") == 0);
  }
  SECTION("an unresolvable reference fails closed") {
    CHECK(only(R"({"$ref":"#/$defs/missing"})", "1") ==
          R"(arguments: schema error: cannot resolve $ref "#/$defs/missing")");
    CHECK(!valid(R"({"$ref":"https://example.com/schema"})", "1"));
  }
}

TEST_CASE("a realistic order tool schema", "[mcp][schema][order]") {
  const std::string schema = R"({
    "type":"object",
    "properties":{
      "account":{"type":"string","minLength":1},
      "symbol":{"type":"string","minLength":1,"maxLength":10,"description":"Ticker"},
      "quantity":{"type":"integer","minimum":1},
      "side":{"type":"string","enum":["buy","sell"]},
      "order_type":{"type":"string","enum":["market","limit"],"default":"market"},
      "limit_price":{"type":"number","exclusiveMinimum":0,"multipleOf":0.01},
      "legs":{"type":"array","minItems":1,"maxItems":4,"items":{
        "type":"object",
        "properties":{
          "symbol":{"type":"string","minLength":1},
          "quantity":{"type":"integer","minimum":1},
          "action":{"enum":["buy_to_open","sell_to_open","buy_to_close","sell_to_close"]}},
        "required":["symbol","quantity","action"],
        "additionalProperties":false}}},
    "required":["account","symbol","quantity","side"],
    "additionalProperties":false})";
  const Json s = parse(schema);

  SECTION("a correct order passes") {
    CHECK(validate_against_schema(
              s, parse(R"({"account":"Individual-...123","symbol":"BRK.B","quantity":10,
      "side":"buy","order_type":"limit","limit_price":412.35})"))
              .empty());
    CHECK(validate_against_schema(
              s, parse(R"({"account":"IRA-...456","symbol":"SPY","quantity":1.0,"side":"sell",
      "legs":[{"symbol":"SPY 250117C00500000","quantity":1,"action":"sell_to_open"}]})"))
              .empty());
  }
  SECTION("the message names each problem at its path") {
    const auto v = validate_against_schema(
        s, parse(R"({"account":"A","symbol":"AAPL.AAPL.AAPL","quantity":0,"side":"hold",
      "legs":[{"symbol":"X","quantity":1,"action":"buy_to_open"},{"symbol":"Y","quantity":"2","action":"open","extra":1}]})"));
    const std::string text = describe_violations(v);
    INFO(text);
    REQUIRE(v.size() == 6);
    CHECK(v[0].path == "arguments.legs[1].action");
    CHECK(
        v[0].message ==
        R"(must be one of "buy_to_open", "sell_to_open", "buy_to_close", "sell_to_close", got "open")");
    CHECK(v[1].path == "arguments.legs[1]");
    CHECK(v[1].message == R"(unexpected property "extra"; allowed: action, quantity, symbol)");
    CHECK(v[2].path == "arguments.legs[1].quantity");
    CHECK(v[2].message == "expected integer, got string");
    CHECK(v[3].path == "arguments.quantity");
    CHECK(v[3].message == "must be >= 1, got 0");
    CHECK(v[4].path == "arguments.side");
    CHECK(v[4].message == R"(must be one of "buy", "sell", got "hold")");
    CHECK(v[5].path == "arguments.symbol");
    CHECK(v[5].message == R"(must be at most 10 characters long, got 14: "AAPL.AAPL.AAPL")");
    CHECK(text.find("arguments.quantity: must be >= 1, got 0; arguments.side: ") !=
          std::string::npos);
  }
  SECTION("missing and misspelled arguments") {
    const auto v = validate_against_schema(
        s, parse(R"({"account":"A","symbol":"AAPL","qty":5,"side":"buy"})"));
    CHECK(
        describe_violations(v) ==
        R"(arguments: missing required property "quantity"; arguments: unexpected property "qty"; )"
        R"(allowed: account, legs, limit_price, order_type, quantity, side, symbol)");
  }
  SECTION("arguments that are not an object") {
    CHECK(describe_violations(validate_against_schema(s, parse("[]"))) ==
          "arguments: expected object, got array");
    CHECK(describe_violations(validate_against_schema(s, Json())) ==
          "arguments: expected object, got null");
  }
}

TEST_CASE("describe_violations and the violation cap", "[mcp][schema][describe]") {
  SECTION("joins path and message") {
    const std::vector<SchemaViolation> v = {{"arguments.symbol", "expected string, got number"},
                                            {"arguments", "missing required property \"side\""}};
    CHECK(describe_violations(v) ==
          "arguments.symbol: expected string, got number; arguments: missing required property "
          "\"side\"");
    CHECK(describe_violations({}).empty());
    CHECK(describe_violations({{"", "bare"}}) == "bare");
  }
  SECTION("at most kMaxViolations, then one entry saying more exist") {
    const auto v = check(R"({"items":{"type":"string"}})", "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]");
    REQUIRE(v.size() == kMaxViolations + 1);
    CHECK(v[kMaxViolations - 1].path == "arguments[9]");
    CHECK(v[kMaxViolations].path == "arguments");
    CHECK(v[kMaxViolations].message == "further violations not listed");
    CHECK(check(R"({"items":{"type":"string"}})", "[1,2,3,4,5,6,7,8,9,10]").size() ==
          kMaxViolations);
  }
  SECTION("a custom root path") {
    const auto v = validate_against_schema(parse(R"({"properties":{"a":{"type":"string"}}})"),
                                           parse(R"({"a":1})"), "params.arguments");
    REQUIRE(v.size() == 1);
    CHECK(v[0].path == "params.arguments.a");
  }
}

TEST_CASE("hostile instances yield violations, never crashes", "[mcp][schema][hostile]") {
  const Json any_array = parse(R"({"type":"array"})");
  SECTION("10 000 nested arrays, whatever the schema") {
    const Json deep = parse(nested_arrays(10000));
    for (const Json& schema :
         {any_array, parse("{}"), parse("true"), parse(R"({"items":{"$ref":"#"}})")}) {
      const auto v = validate_against_schema(schema, deep);
      REQUIRE(v.size() == 1);
      CHECK(v[0].path == "arguments");
      CHECK(v[0].message.find("nesting too deep") == 0);
    }
  }
  SECTION("10 000 nested objects") {
    std::string text;
    for (int i = 0; i < 10000; ++i) text += R"({"a":)";
    text += "1" + std::string(10000, '}');
    const auto v =
        validate_against_schema(parse(R"({"properties":{"a":{"$ref":"#"}}})"), parse(text));
    REQUIRE(v.size() == 1);
    CHECK(v[0].message.find("nesting too deep") == 0);
  }
  SECTION("the depth limit itself") {
    const Json recursive = parse(R"({"type":"array","items":{"$ref":"#"}})");
    CHECK(validate_against_schema(recursive, parse(nested_arrays(kMaxInstanceDepth))).empty());
    CHECK(!validate_against_schema(recursive, parse(nested_arrays(kMaxInstanceDepth + 1))).empty());
  }
  SECTION("huge strings are shortened in messages") {
    const std::string big(1 << 20, 'x');
    Json schema = parse(R"({"type":"string","maxLength":10,"enum":["a"]})");
    const auto v = validate_against_schema(schema, Json(big));
    REQUIRE(v.size() == 2);  // enum and maxLength
    CHECK(v[0].message.size() < 200);
    CHECK(v[1].message.size() < 200);
    CHECK(v[1].message.find("got 1048576") != std::string::npos);
    CHECK(validate_against_schema(parse(R"({"type":"integer"})"), Json(big))[0].message ==
          "expected integer, got string");
  }
  SECTION("huge keys are shortened in paths") {
    Json inst = Json::object();
    inst[std::string(100000, 'k')] = 1;
    const auto v = validate_against_schema(parse(R"({"additionalProperties":false})"), inst);
    REQUIRE(v.size() == 1);
    CHECK(v[0].message.size() < 200);
  }
  SECTION("big and extreme numbers") {
    const Json integer = parse(R"({"type":"integer","minimum":1,"maximum":1000000})");
    for (const char* n : {"1e308", "-1e308", "1e400", "123456789012345678901234567890",
                          "18446744073709551615", "-9223372036854775808", "5e-324"}) {
      INFO(n);
      auto value = parse_json(n);
      if (!value) continue;  // a parser may refuse an out-of-range literal; that is fine too
      CHECK(!validate_against_schema(integer, *value).empty());
    }
    Json inf = Json(std::numeric_limits<double>::infinity());
    CHECK(validate_against_schema(integer, inf)[0].message ==
          "expected integer, got number Infinity");
    Json nan = Json(std::numeric_limits<double>::quiet_NaN());
    CHECK(!validate_against_schema(parse(R"({"type":"number","minimum":0})"), nan).empty());
  }
  SECTION("a large array with uniqueItems stays fast") {
    Json arr = Json::array();
    for (int i = 0; i < 100000; ++i) arr.push_back(i);
    const auto start = std::chrono::steady_clock::now();
    CHECK(validate_against_schema(parse(R"({"uniqueItems":true,"items":{"type":"integer"}})"), arr)
              .empty());
    arr.push_back(99999.0);
    const auto v = validate_against_schema(parse(R"({"uniqueItems":true})"), arr);
    REQUIRE(v.size() == 1);
    CHECK(v[0].message == "items must be unique, but items 99999 and 100000 are equal");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  }
  SECTION("invalid UTF-8 in a string built in code") {
    Json schema = parse(R"({"type":"string","maxLength":1,"enum":["a"]})");
    CHECK(!validate_against_schema(schema, Json(std::string("\xFF\xFE"))).empty());
  }
}
