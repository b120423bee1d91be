// Answers read the same way everywhere: tastytrade's kebab-case names ("open-at",
// "price-effect") never leak into what the tools say — not in the market sessions (with
// the next and previous session), not in the order a cancel preview shows.
#include "unit/brokers/tastytrade/tastytrade_harness.hpp"

#include "mcp/json_schema.hpp"

using namespace bmcp;
using namespace bmcp::testing::tasty;

namespace {

// Every object key at any depth that has a '-' in it.
void kebab_keys(const Json& v, std::vector<std::string>& out, const std::string& at = "") {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it.key().find('-') != std::string::npos) out.push_back(at + "/" + it.key());
      kebab_keys(it.value(), out, at + "/" + it.key());
    }
  } else if (v.is_array()) {
    for (const Json& e : v) kebab_keys(e, out, at + "[]");
  }
}

std::vector<std::string> kebab_keys_of(const Json& result) {
  std::vector<std::string> out;
  kebab_keys(structured(result), out);
  return out;
}

}  // namespace

TEST_CASE("tastytrade answers use one naming: no kebab-case keys", "[tastytrade][names]") {
  Bench b;
  SECTION("market status, with the next and previous sessions") {
    Json status = b.call("get_market_status");
    REQUIRE_FALSE(is_error(status));
    CHECK(kebab_keys_of(status).empty());
    const Json& equity = structured(status)["sessions"][0];
    CHECK(equity["status"] == "Open");
    CHECK(equity["opensAt"] == "2026-03-10T13:30:00.000Z");
    CHECK(equity["nextSession"]["opensAt"] == "2026-03-11T13:30:00.000Z");
    CHECK(equity["nextOpen"] == "2026-03-11T13:30:00.000Z");
    CHECK(equity["previousSession"]["date"] == "2026-03-09");
  }
  SECTION("the cancel preview shows the order as get_order does") {
    std::string main = structured(b.call("get_accounts"))["accounts"][0]["account"];
    Json cancel = b.call("cancel_order", {{"account", main}, {"orderId", 1075264}});
    REQUIRE_FALSE(is_error(cancel));
    INFO(dump_json(structured(cancel)));
    CHECK(kebab_keys_of(cancel).empty());
    Json order = b.call("get_order", {{"account", main}, {"orderId", 1075264}});
    CHECK(structured(cancel)["preview"]["legs"] == structured(order)["order"]["legs"]);
  }
  SECTION("every read tool") {
    std::string main = structured(b.call("get_accounts"))["accounts"][0]["account"];
    for (const auto& [tool, args] : std::vector<std::pair<std::string, Json>>{
             {"get_accounts", Json::object()},
             {"get_balances", Json::object()},
             {"get_positions", Json::object()},
             {"get_orders", Json::object()},
             {"get_transactions", {{"account", main}}},
             {"get_quote", {{"symbols", "AAPL"}}},
             {"get_market_metrics", {{"symbols", "AAPL"}}},
             {"get_market_status", Json::object()},
             {"search_symbols", {{"query", "app"}}},
             {"get_order", {{"account", main}, {"orderId", 1075264}}},
             {"get_option_chain", {{"symbol", "AAPL"}}},
             {"cancel_order", {{"account", main}, {"orderId", 1075264}}}}) {
      Json r = b.call(tool, args);
      INFO(tool << ": " << dump_json(r).substr(0, 600));
      REQUIRE_FALSE(is_error(r));
      CHECK(kebab_keys_of(r).empty());
      // What clients check: the answer matches the tool's declared outputSchema.
      const mcp::ToolDefinition* t = b.catalog.find_tool(tool);
      REQUIRE(t != nullptr);
      REQUIRE(t->output_schema.is_object());
      CHECK(mcp::describe_violations(mcp::validate_against_schema(t->output_schema, structured(r)))
                .empty());
    }
  }
}
