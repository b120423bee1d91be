// Typed parameter rows (brokers/tool_params.hpp): each kind declares the schema a client
// reads, and a table the rows cannot describe is no schema at all, never `{}`.
#include <catch2/catch.hpp>

#include "brokers/tool_params.hpp"
#include "mcp/json_schema.hpp"

using namespace bmcp;
using brokers::ParamType;
using brokers::ToolParam;

TEST_CASE("parameter rows declare the schema of each kind", "[kernel][params]") {
  const ToolParam rows[] = {
      {"account", ParamType::String, "Display name.", nullptr, true},
      {"day", ParamType::Date, "A day."},
      {"perPage", ParamType::Integer, "Per page.", nullptr, false, 1, 250},
      {"query", ParamType::String, "Words.", nullptr, false, std::nullopt, std::nullopt, 1},
      {"frequency", ParamType::IntegerEnum, "Percent.", "0|1|5"},
      {"types", ParamType::StringArray, "Kinds.", "Trade|Fee"},
      {"symbols", ParamType::StringOrList, "Symbols."},
      {"orderId", ParamType::TextOrInteger, "An id."},
  };
  Json s = brokers::input_schema(rows);
  REQUIRE(s.is_object());
  CHECK(s["additionalProperties"] == false);
  CHECK(s["required"] == Json::array({"account"}));
  const Json& p = s["properties"];
  CHECK(p["day"] == Json{{"type", "string"}, {"format", "date"}, {"description", "A day."}});
  CHECK(p["perPage"]["minimum"] == 1);
  CHECK(p["perPage"]["maximum"] == 250);
  CHECK(p["query"]["minLength"] == 1);
  CHECK(p["frequency"]["enum"] == Json::array({0, 1, 5}));
  CHECK(p["types"]["items"]["enum"] == Json::array({"Trade", "Fee"}));
  CHECK(p["symbols"]["anyOf"].size() == 2);

  // The schema is the one the dispatcher validates arguments against.
  auto accepts = [&](Json args) { return mcp::validate_against_schema(s, args).empty(); };
  CHECK(accepts({{"account", "Individual-...123"}, {"symbols", "AAPL,SPY"}, {"orderId", 42}}));
  CHECK(accepts({{"account", "x"}, {"symbols", {"AAPL"}}, {"orderId", "42"}, {"perPage", 250}}));
  CHECK_FALSE(accepts({{"symbols", "AAPL"}}));                        // account is required
  CHECK_FALSE(accepts({{"account", "x"}, {"perPage", 251}}));         // above the maximum
  CHECK_FALSE(accepts({{"account", "x"}, {"frequency", 2}}));         // not one of the values
  CHECK_FALSE(accepts({{"account", "x"}, {"types", {"Dividend"}}}));  // not one of the kinds
  CHECK_FALSE(accepts({{"account", "x"}, {"query", ""}}));            // shorter than minLength
  CHECK_FALSE(accepts({{"account", "x"}, {"acount", "typo"}}));       // not declared
}

TEST_CASE("an answer's rows declare its members and the ones always there", "[kernel][params]") {
  const ToolParam members[] = {{"quotes", ParamType::Array, "Quotes.", nullptr, true},
                               {"note", ParamType::String}};
  Json s = brokers::output_schema(members);
  CHECK(s == Json{{"type", "object"},
                  {"properties",
                   {{"quotes", {{"type", "array"}, {"description", "Quotes."}}},
                    {"note", {{"type", "string"}}}}},
                  {"required", {"quotes"}}});
}

TEST_CASE("a table the rows cannot describe is no schema, never {}", "[kernel][params]") {
  auto broken = [](std::vector<ToolParam> rows) {
    return brokers::input_schema(rows).is_null() && brokers::output_schema(rows).is_null();
  };
  CHECK(broken({{"a", ParamType::String, "A."}, {"a", ParamType::Integer, "A again."}}));
  CHECK(broken({{"side", ParamType::Enum, "No values."}}));
  CHECK(broken({{"n", ParamType::IntegerEnum, "Not numbers.", "1|two"}}));
  CHECK(broken({{"n", ParamType::Integer, "Empty range.", nullptr, false, 5, 1}}));
  CHECK(broken({{nullptr, ParamType::String, "No name."}}));
  CHECK(brokers::input_schema(std::vector<ToolParam>{}) ==
        Json{{"type", "object"}, {"properties", Json::object()}, {"additionalProperties", false}});
}
