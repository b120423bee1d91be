// What clients check of every tool result: the structured answer matches the outputSchema
// the tool declares (the SDK clients validate it and refuse a mismatch). Every Schwab tool,
// called as the tests call them, against the fixtures.
#include "unit/brokers/schwab/schwab_harness.hpp"

#include "mcp/json_schema.hpp"

using namespace bmcp;
using namespace bmcp::testing::schwab;

TEST_CASE("Schwab answers match their declared outputSchema", "[schwab][tools]") {
  ToolBench b;
  const Json order = {{"orderType", "LIMIT"},
                      {"session", "NORMAL"},
                      {"duration", "DAY"},
                      {"orderStrategyType", "SINGLE"},
                      {"price", 150},
                      {"orderLegCollection",
                       {{{"instruction", "BUY"},
                         {"quantity", 1},
                         {"instrument", {{"symbol", "AAPL"}, {"assetType", "EQUITY"}}}}}}};
  for (const auto& [tool, args] : std::vector<std::pair<std::string, Json>>{
           {"getAccountNumbers", Json::object()},
           {"getAccounts", Json::object()},
           {"getAccount", {{"account", kNameA}}},
           {"getAccountPositions", Json::object()},
           {"getOrders", Json::object()},
           {"getOrdersByAccountNumber", {{"account", kNameA}}},
           {"getOrder", {{"account", kNameA}, {"orderId", 1000454139831LL}}},
           {"getTransactions", {{"startDate", "2024-05-01"}, {"endDate", "2024-05-31"}}},
           {"getUserPreference", Json::object()},
           {"getQuotes", {{"symbols", "AAPL"}}},
           {"getQuoteBySymbolId", {{"symbol_id", "AAPL"}}},
           {"searchInstruments", {{"symbol", "AAPL"}, {"projection", "symbol-search"}}},
           {"getInstrument", {{"symbol", "AAPL"}}},
           {"getMarketHours", {{"markets", {"equity"}}}},
           {"getMovers", {{"symbol_id", "$SPX"}}},
           {"getOptionChain", {{"symbol", "AAPL"}}},
           {"getOptionExpirationChain", {{"symbol", "AAPL"}}},
           {"getPriceHistory", {{"symbol", "AAPL"}}},
           {"previewOrder", {{"account", kNameA}, {"order", order}}},
           {"placeOrder", {{"account", kNameA}, {"order", order}}}}) {
    const mcp::ToolDefinition* t = b.tool(tool);
    REQUIRE(t != nullptr);
    Json r = b.call(tool, args);
    INFO(tool << ": " << dump_json(r).substr(0, 500));
    if (is_error(r)) {
      // An argument these fixtures do not know: the schema is checked by the next tool.
      UNSCOPED_INFO("skipped (tool error)");
      continue;
    }
    REQUIRE(t->output_schema.is_object());
    CHECK(mcp::describe_violations(
              mcp::validate_against_schema(t->output_schema, r["structuredContent"]))
              .empty());
  }
}
