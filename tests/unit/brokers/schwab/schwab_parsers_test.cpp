// Schwab's shapes read against the fixtures: orders in plain words, preview figures,
// the new order id, error bodies, compact views, the output cap.
#include "unit/brokers/schwab/schwab_harness.hpp"

#include "brokers/schwab/schwab_api.hpp"
#include "brokers/schwab/schwab_orders.hpp"
#include "brokers/schwab/schwab_views.hpp"
#include "tools/output_limit.hpp"

using namespace bmcp;
using namespace bmcp::schwab;
using bmcp::testing::schwab::fixture;

TEST_CASE("a Schwab order and its preview in plain words", "[schwab][parsers]") {
  orders::OrderSummary s = order_summary(fixture("order.json"));
  CHECK(s.order_type == "LIMIT");
  CHECK(s.price == "150");
  CHECK(s.status == "WORKING");
  REQUIRE(s.legs.size() == 1);
  CHECK(s.legs[0].instruction == "BUY");
  CHECK(s.legs[0].quantity == "1");
  CHECK(s.legs[0].symbol == "AAPL");
  CHECK_FALSE(s.legs[0].option);
  CHECK(orders::describe_legs(s) == "Buy 1 share of AAPL at a limit of $150.00, good for the day.");

  add_preview(s, fixture("preview.json"));
  CHECK(s.order_value == 1500.0);
  CHECK(s.buying_power_after == 5582.68);
  CHECK(s.commission_and_fees == 0.03);
  CHECK(s.warnings == std::vector<std::string>{
                          "The limit price is away from the current market; the order will rest"});
  CHECK(s.rejections.empty());

  Json view = preview_view(fixture("preview.json"));
  CHECK(view["status"] == "ACCEPTED");
  CHECK(view["orderBalance"]["projectedBuyingPower"] == 5582.68);
  CHECK(view["legs"][0]["finalSymbol"] == "AAPL");
  CHECK_FALSE(view.contains("accountNumber"));

  SECTION("attached orders are named") {
    Json oco = {{"orderStrategyType", "OCO"},
                {"childOrderStrategies",
                 {{{"orderType", "LIMIT"},
                   {"price", 200},
                   {"orderLegCollection",
                    {{{"instruction", "SELL"},
                      {"quantity", 5},
                      {"instrument", {{"symbol", "AAPL"}, {"assetType", "EQUITY"}}}}}}},
                  {{"orderType", "STOP"},
                   {"stopPrice", 140},
                   {"orderLegCollection",
                    {{{"instruction", "SELL"},
                      {"quantity", 5},
                      {"instrument", {{"symbol", "AAPL"}, {"assetType", "EQUITY"}}}}}}}}}};
    orders::OrderSummary o = order_summary(oco);
    REQUIRE(o.warnings.size() == 2);
    CHECK_THAT(o.warnings[1], Catch::Contains("Sell 5 shares of AAPL with a stop at $140.00"));
  }
  SECTION("missing figures stay unknown") {
    orders::OrderSummary e = order_summary(Json::object());
    add_preview(e, Json::object());
    CHECK_FALSE(e.order_value);
    CHECK_FALSE(e.commission_and_fees);
    CHECK(e.legs.empty());
  }
}

TEST_CASE("the new order id comes from the Location header", "[schwab][parsers]") {
  CHECK(order_id_from_location(
            "https://api.schwabapi.com/trader/v1/accounts/ABC/orders/1000454139831") ==
        "1000454139831");
  CHECK(order_id_from_location("/trader/v1/accounts/ABC/orders/42/") == "42");
  CHECK(order_id_from_location("http://x/orders/42?x=1") == "42");
  CHECK(order_id_from_location("https://api.schwabapi.com/trader/v1/accounts/ABC").empty());
  CHECK(order_id_from_location("https://x/orders/abc").empty());
  CHECK(order_id_from_location("").empty());
}

TEST_CASE("Schwab's error bodies become a short message", "[schwab][parsers]") {
  CHECK(schwab_error_message(
            *parse_json(R"({"message":"Order not found","errors":["Order 1 was not found"]})")) ==
        "Order not found; Order 1 was not found");
  CHECK(schwab_error_message(*parse_json(R"({"message":"X","errors":["X"]})")) == "X");
  CHECK(
      schwab_error_message(*parse_json(
          R"({"errors":[{"id":"6b1f","status":"400","title":"Bad Request","detail":"Invalid field 'x'","source":{"parameter":"fields"}}]})")) ==
      "Invalid field 'x' (parameter fields)");
  CHECK(schwab_error_message(*parse_json(
            R"({"error":"invalid_client","error_description":"bad secret"})")) == "bad secret");
  CHECK(schwab_error_message(Json()).empty());
  CHECK(schwab_error_message(Json::array({1, 2})).empty());
}

TEST_CASE("the Schwab endpoint follows the configuration", "[schwab][parsers]") {
  app::Config c;
  c.raw = {{"SCHWAB_API_BASE", "http://127.0.0.1:8788/schwab/"}, {"SCHWAB_TIMEOUT_MS", "2500"}};
  auto ep = schwab_endpoint(c.raw);
  CHECK(ep.base_url == "http://127.0.0.1:8788/schwab");
  CHECK(ep.timeout_ms == 2500);
  CHECK(ep.correlation_header == "Schwab-Client-CorrelId");
  app::Config d;
  CHECK(schwab_endpoint(d.raw).base_url == "https://api.schwabapi.com");
  CHECK(schwab_endpoint(d.raw).timeout_ms == 10000);
}

TEST_CASE("compact views keep what matters and pass unknown fields", "[schwab][views]") {
  Json entry = fixture("accounts.json")[0];
  entry["securitiesAccount"]["someNewField"] = {{"x", 1}};
  Json c = compact_account(entry);
  CHECK(c["type"] == "MARGIN");
  CHECK(c["someNewField"]["x"] == 1);
  CHECK(c["currentBalances"]["buyingPower"] == 7082.68);
  CHECK(c["aggregatedBalance"]["liquidationValue"] == 4045.83);
  CHECK_FALSE(c.contains("initialBalances"));
  CHECK_FALSE(c.contains("projectedBalances"));
  CHECK(c["positions"][1] == Json{{"longQuantity", 25},
                                  {"shortQuantity", 0},
                                  {"averagePrice", 180.12},
                                  {"marketValue", 5800.5},
                                  {"currentDayProfitLoss", 55.5},
                                  {"currentDayProfitLossPercentage", 1.2},
                                  {"longOpenProfitLoss", 1297.5},
                                  {"instrument", {{"symbol", "AAPL"}, {"assetType", "EQUITY"}}}});
  Json full = full_account(entry);
  CHECK(full.contains("initialBalances"));
  CHECK(full["positions"][0].contains("taxLotAverageLongPrice"));

  Json chain = compact_option_chain(fixture("option_chain.json"));
  const Json& contract = chain["callExpDateMap"]["2024-10-18:1"]["230.0"][0];
  CHECK(contract.size() == 13);
  CHECK(chain["numberOfContracts"] == 2);
  CHECK(chain["underlying"]["exchangeName"] == "NASDAQ");
}

TEST_CASE("the output cap cuts lists from the end and says so", "[tools][limits]") {
  Json small = {{"a", 1}};
  CHECK(tools::cap_output(small, 100, "") == small);

  Json map = Json::object();
  for (int i = 0; i < 200; ++i) map["k" + std::to_string(1000 + i)] = std::string(50, 'x');
  Json capped =
      tools::cap_output({{"symbol", "X"}, {"strikes", map}}, 4000, "ask for fewer strikes");
  CHECK(dump_json(capped).size() <= 4000);
  CHECK(capped["symbol"] == "X");
  CHECK(capped["strikes"].contains("k1000"));
  CHECK(capped["_truncated"]["cut"][0]["path"] == "strikes");
  CHECK(capped["_truncated"]["cut"][0]["total"] == 200);
  CHECK(capped["_truncated"]["hint"] == "ask for fewer strikes");

  Json nested = {{"outer", {{"inner", Json::array()}}}};
  for (int i = 0; i < 300; ++i)
    nested["outer"]["inner"].push_back({{"i", i}, {"pad", std::string(30, 'y')}});
  Json n = tools::cap_output(nested, 3000, "");
  CHECK(dump_json(n).size() <= 3000);
  CHECK(n["_truncated"]["cut"][0]["path"] == "outer.inner");

  Json text = {{"body", std::string(10000, 'z')}};
  Json t = tools::cap_output(text, 2000, "");
  CHECK(dump_json(t).size() <= 2000);
  CHECK(t["_truncated"]["cut"][0]["totalCharacters"] == 10000);

  Json list = Json::array();
  for (int i = 0; i < 1000; ++i) list.push_back(i);
  Json l = tools::cap_output(list, 1500, "");
  CHECK(l.is_object());
  CHECK(l["result"].size() < 1000);
}
