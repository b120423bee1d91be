// The broker-tool kernel (brokers/broker_call.hpp) holds one policy for every broker: these
// tests drive it through each broker's real catalog, so a broker that strays from it fails.
#include <catch2/catch.hpp>

#include "brokers/broker_accounts.hpp"
#include "unit/brokers/schwab/schwab_harness.hpp"
#include "unit/brokers/tastytrade/tastytrade_harness.hpp"

namespace bmcp {
namespace {

std::string first_text(const Json& result) {
  return result["content"][0]["text"].get<std::string>();
}

}  // namespace

TEST_CASE("an unknown account name is refused in the same words at every broker",
          "[brokers][kernel]") {
  testing::schwab::ToolBench schwab;
  Json s = schwab.call("getAccount", {{"account", "Margin-...999"}});
  REQUIRE(testing::schwab::is_error(s));
  CHECK(
      first_text(s).rfind(
          "invalid_request: There is no Schwab account called 'Margin-...999'. Name an account by "
          "its display name; the accounts are: ",
          0) == 0);
  CHECK(first_text(s).find(testing::schwab::kNameA) != std::string::npos);

  testing::tasty::Bench tasty;
  Json t = tasty.call("get_balances", {{"account", "Margin-...999"}});
  REQUIRE(testing::tasty::is_error(t));
  CHECK(testing::tasty::structured(t)["error"]["code"] == "VALIDATION_ERROR");
  CHECK(first_text(t).rfind("VALIDATION_ERROR: There is no tastytrade account called "
                            "'Margin-...999'. Name an account "
                            "by its display name; the accounts are: ",
                            0) == 0);
}

TEST_CASE("a raw account number or hash from the model names no account at any broker",
          "[brokers][kernel]") {
  testing::schwab::ToolBench schwab;
  for (const std::string& raw : {testing::schwab::kNumberA, testing::schwab::kHashA}) {
    Json r = schwab.call("getAccount", {{"account", raw}});
    REQUIRE(testing::schwab::is_error(r));
    CHECK(first_text(r).rfind("invalid_request: There is no Schwab account", 0) == 0);
    CHECK_FALSE(testing::schwab::leaks(r));
  }
  // The order tools resolve through the same kernel.
  Json order = schwab.call("previewOrder", {{"account", testing::schwab::kNumberA},
                                            {"order", testing::schwab::limit_buy()}});
  REQUIRE(testing::schwab::is_error(order));
  CHECK(schwab.schwab.placed == 0);

  testing::tasty::Bench tasty;
  Json t = tasty.call("get_positions", {{"account", testing::tasty::kAliceMain}});
  REQUIRE(testing::tasty::is_error(t));
  CHECK_FALSE(testing::tasty::leaks(t));
}

TEST_CASE("an answer naming an account the cached map lacks rebuilds the map once, at every broker",
          "[brokers][kernel]") {
  // alice's cached tastytrade map knows only her main account; tastytrade's answer names
  // her Roth account in its account field. The kernel rebuilds the map and shows the Roth account
  // by its display name, instead of withholding the answer (or showing the number).
  testing::tasty::Bench b;
  std::vector<privacy::AccountIdentity> only_main = {
      {testing::tasty::kAliceMain, "", "Individual", "Main"}};
  const privacy::AccountDisplayMap cached = privacy::AccountDisplayMap::build(only_main);
  b.host.kv_set(brokers::account_map_key(brokers::Broker::Tastytrade, testing::tasty::kAlice),
                dump_json(cached.to_json()), 3600);
  b.tasty.route = [](const std::string&, const std::string& path,
                     const Json&) -> std::optional<Json> {
    if (path != "/accounts/" + testing::tasty::kAliceMain + "/transactions") return std::nullopt;
    Json journal = {{"id", 1},
                    {"account-number", testing::tasty::kAliceRoth},
                    {"transaction-type", "Money Movement"},
                    {"description", "Journal between accounts"}};
    return testing::tasty::response(200, {{"data", {{"items", Json::array({journal})}}}});
  };
  Json r = b.call("get_transactions", {{"account", cached.entries()[0].display_name}});
  REQUIRE_FALSE(testing::tasty::is_error(r));
  CHECK_FALSE(testing::tasty::leaks(r));
  INFO(dump_json(r));
  int listings = 0;
  for (const Json& req : b.host.http_log)
    listings += testing::tasty::path_of(req) == "/customers/me/accounts";
  CHECK(listings == 1);
  CHECK(dump_json(r).find("Roth IRA") != std::string::npos);
}

TEST_CASE(
    "an order the broker says can no longer be cancelled gets no cancel token, at every broker",
    "[brokers][kernel][orders]") {
  testing::schwab::ToolBench schwab;
  schwab.schwab.route = [](const std::string& method, const std::string& path,
                           const Json&) -> std::optional<Json> {
    if (method != "GET" || path.find("/orders/1000454139831") == std::string::npos)
      return std::nullopt;
    Json filled = testing::schwab::fixture("order.json");
    filled["status"] = "FILLED";
    filled["cancelable"] = false;
    return testing::schwab::response(200, filled);
  };
  Json s = schwab.call("cancelOrder",
                       {{"account", testing::schwab::kNameB}, {"orderId", 1000454139831LL}});
  REQUIRE_FALSE(testing::schwab::is_error(s));
  INFO(dump_json(s));
  CHECK_FALSE(s["structuredContent"].contains("confirmationToken"));
  CHECK(dump_json(s).find("the order is FILLED and can no longer be cancelled") !=
        std::string::npos);
  CHECK(schwab.schwab.cancelled == 0);

  testing::tasty::Bench tasty;
  tasty.tasty.route = [](const std::string& method, const std::string& path,
                         const Json&) -> std::optional<Json> {
    if (method != "GET" || path.find("/orders/1075264") == std::string::npos) return std::nullopt;
    return testing::tasty::response(
        200, {{"data", {{"id", 1075264}, {"status", "Filled"}, {"cancellable", false}}}});
  };
  std::string main =
      testing::tasty::structured(tasty.call("get_accounts"))["accounts"][0]["account"];
  Json t = tasty.call("cancel_order", {{"account", main}, {"orderId", 1075264}});
  REQUIRE_FALSE(testing::tasty::is_error(t));
  INFO(dump_json(t));
  CHECK_FALSE(testing::tasty::structured(t).contains("confirmationToken"));
  CHECK(dump_json(t).find("the order is Filled and can no longer be cancelled") !=
        std::string::npos);
  CHECK(tasty.tasty.cancelled == 0);
}

TEST_CASE("a cancelled order's answer names it and what the broker says of it, at every broker",
          "[brokers][kernel][orders]") {
  testing::schwab::ToolBench schwab;
  Json first = schwab.call("cancelOrder",
                           {{"account", testing::schwab::kNameB}, {"orderId", 1000454139831LL}});
  Json s = schwab.call("cancelOrder",
                       {{"account", testing::schwab::kNameB},
                        {"orderId", 1000454139831LL},
                        {"confirmationToken", first["structuredContent"]["confirmationToken"]}});
  REQUIRE_FALSE(testing::schwab::is_error(s));
  INFO(dump_json(s));
  CHECK(s["structuredContent"]["cancelled"] == true);
  CHECK(s["structuredContent"]["orderId"] == "1000454139831");
  // Schwab answers DELETE with no body: the status is read afterwards.
  CHECK(s["structuredContent"].contains("orderStatus"));

  testing::tasty::Bench tasty;
  std::string main =
      testing::tasty::structured(tasty.call("get_accounts"))["accounts"][0]["account"];
  Json preview = tasty.call("cancel_order", {{"account", main}, {"orderId", 1075264}});
  Json t =
      tasty.call("cancel_order",
                 {{"account", main},
                  {"orderId", 1075264},
                  {"confirmationToken", testing::tasty::structured(preview)["confirmationToken"]}});
  REQUIRE_FALSE(testing::tasty::is_error(t));
  INFO(dump_json(t));
  CHECK(testing::tasty::structured(t)["cancelled"] == true);
  CHECK(testing::tasty::structured(t)["orderId"] == "1075264");
  // tastytrade answers DELETE with the order as it now stands.
  CHECK(testing::tasty::structured(t)["orderStatus"] == "Cancel Requested");
}

}  // namespace bmcp
