// Orders, safely: previewOrder gives the figures and a single-use token; placeOrder,
// replaceOrder and cancelOrder send only with that token or an accepted elicitation;
// otherwise nothing reaches Schwab. Every mutation is journaled; none is retried.
#include "unit/brokers/schwab/schwab_harness.hpp"

#include "orders/order_digest.hpp"

using namespace bmcp;
using namespace bmcp::testing::schwab;

namespace {

std::string canonical(const Json& order) { return dump_json(orders::canonical_order(order)); }

std::string token_of(const Json& result) {
  return result["structuredContent"].value("confirmationToken", std::string());
}

int count(const std::vector<std::string>& requests, const std::string& prefix) {
  int n = 0;
  for (const auto& r : requests) n += r.rfind(prefix, 0) == 0;
  return n;
}

}  // namespace

TEST_CASE("previewOrder shows what would happen and issues a bound token", "[schwab][orders]") {
  ToolBench b;
  Json r = b.call("previewOrder", {{"account", kNameA}, {"order", limit_buy()}});
  REQUIRE_FALSE(is_error(r));
  const Json& s = r["structuredContent"];
  CHECK(s["sent"] == false);
  CHECK(s["status"] == "confirmation_required");
  CHECK(s["account"] == kNameA);
  CHECK_THAT(
      s["summary"].get<std::string>(),
      Catch::StartsWith("Buy 10 shares of AAPL at a limit of $150.00, good for the day. Account: " +
                        kNameA + " at Schwab.") &&
          Catch::Contains("Estimated order value: $1,500.00") &&
          Catch::Contains("Commission and fees: $0.03") &&
          Catch::Contains("Buying power afterwards: $5,582.68") &&
          Catch::Contains("away from the current market"));
  CHECK(s["preview"]["commissionAndFees"] == 0.03);
  CHECK(s["preview"]["validation"]["warns"][0] ==
        "The limit price is away from the current market; the order will rest");
  CHECK_THAT(token_of(r), Catch::StartsWith("cfm_"));
  CHECK(s["expiresAt"] == "2023-11-14T22:18:20.000Z");
  CHECK_THAT(s["next"].get<std::string>(), Catch::Contains("placeOrder"));
  CHECK_FALSE(leaks(r));
  CHECK(b.requests().back() == "POST /trader/v1/accounts/" + kHashA + "/previewOrder");
  CHECK(b.host.http_log.back()["body"] == canonical(limit_buy()));
  auto rows =
      b.host.sql("SELECT user_id, provider, action, account_display FROM order_confirmations");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0] == Json{{"user_id", "schwab:cust-fake-001"},
                        {"provider", "schwab"},
                        {"action", "place"},
                        {"account_display", kNameA}});
  CHECK(b.schwab.placed == 0);
}

TEST_CASE("placeOrder sends only a confirmed order, once", "[schwab][orders]") {
  ToolBench b;
  Json preview = b.call("previewOrder", {{"account", kNameA}, {"order", limit_buy()}});
  std::string token = token_of(preview);
  REQUIRE_FALSE(token.empty());

  SECTION("with the token: placed, new order id and status returned, journaled") {
    // The model may spell the same order differently: keys reordered, 150.0 for 150.
    Json same = *parse_json(
        R"({"price":150.0,"orderStrategyType":"SINGLE","duration":"DAY","session":"NORMAL","orderType":"LIMIT",
      "orderLegCollection":[{"instrument":{"assetType":"EQUITY","symbol":"AAPL"},"quantity":10,"instruction":"BUY"}]})");
    Json r =
        b.call("placeOrder", {{"account", kNameA}, {"order", same}, {"confirmationToken", token}});
    REQUIRE_FALSE(is_error(r));
    const Json& s = r["structuredContent"];
    CHECK(s["sent"] == true);
    CHECK(s["orderId"] == "1000500000001");
    CHECK(s["orderStatus"] == "WORKING");
    CHECK(s["confirmedBy"] == "token");
    CHECK(b.schwab.placed == 1);
    CHECK_FALSE(leaks(r));
    auto journal = b.host.sql(
        "SELECT user_id, action, account_display, request, confirmation, status, result FROM "
        "order_journal");
    REQUIRE(journal.size() == 1);
    CHECK(journal[0]["status"] == "succeeded");
    CHECK(journal[0]["confirmation"] == "token");
    CHECK(journal[0]["account_display"] == kNameA);
    CHECK(journal[0]["result"].get<std::string>().find("1000500000001") != std::string::npos);
    CHECK_FALSE(leaks(journal[0]));
    // Journal ids stay readable in logs (no digit runs for the redactor to shorten).
    std::string id = b.host.sql("SELECT id FROM order_journal")[0]["id"];
    CHECK(id.size() == 24);
    CHECK(id.find_first_of("0123456789") == std::string::npos);
    bool logged = false;
    for (const auto& line : b.sink.lines) logged = logged || line.find(id) != std::string::npos;
    CHECK(logged);

    SECTION("the token works once") {
      Json again =
          b.call("placeOrder",
                 {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}});
      REQUIRE(is_error(again));
      CHECK_THAT(text_of(again),
                 Catch::Contains("already used") && Catch::Contains("Nothing was sent"));
      CHECK(b.schwab.placed == 1);
    }
  }
  SECTION("a changed order does not match the token") {
    Json r = b.call("placeOrder",
                    {{"account", kNameA}, {"order", limit_buy(151)}, {"confirmationToken", token}});
    REQUIRE(is_error(r));
    CHECK_THAT(text_of(r), Catch::Contains("different order"));
    CHECK(b.schwab.placed == 0);
  }
  SECTION("another account does not match the token") {
    Json r = b.call("placeOrder",
                    {{"account", kNameB}, {"order", limit_buy()}, {"confirmationToken", token}});
    REQUIRE(is_error(r));
    CHECK(b.schwab.placed == 0);
  }
  SECTION("the token expires after 5 minutes") {
    b.host.advance(5 * 60 * 1000);
    Json r = b.call("placeOrder",
                    {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}});
    CHECK_THAT(text_of(r), Catch::Contains("expired"));
    CHECK(b.schwab.placed == 0);
  }
  SECTION("a made-up token is refused") {
    Json r =
        b.call("placeOrder",
               {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", "cfm_madeup"}});
    CHECK_THAT(text_of(r), Catch::Contains("not known"));
    CHECK(b.schwab.placed == 0);
  }
  SECTION("another person's token is unknown") {
    b.principal.user_id = "schwab:someone-else";
    Json r = b.call("placeOrder",
                    {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}});
    CHECK_THAT(text_of(r), Catch::Contains("not known"));
    CHECK(b.schwab.placed == 0);
  }
}

TEST_CASE("without a token the person is asked, or nothing is sent",
          "[schwab][orders][elicitation]") {
  ToolBench b;
  SECTION("no elicitation support: refused, with the preview and a token") {
    Json r = b.call("placeOrder", {{"account", kNameA}, {"order", limit_buy()}});
    REQUIRE_FALSE(is_error(r));
    CHECK(r["structuredContent"]["sent"] == false);
    CHECK(r["structuredContent"]["status"] == "confirmation_required");
    CHECK_FALSE(token_of(r).empty());
    CHECK(b.schwab.placed == 0);
    CHECK(count(b.requests(), "POST /trader/v1/accounts/" + kHashA + "/orders") == 0);
    CHECK(b.host.sql("SELECT id FROM order_journal").empty());
    // The token then places exactly this order.
    Json placed =
        b.call("placeOrder",
               {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token_of(r)}});
    CHECK(placed["structuredContent"]["sent"] == true);
    CHECK(b.schwab.placed == 1);
  }
  SECTION("the person accepts: placed, journaled as confirmed by elicitation") {
    Json r = b.call("placeOrder", {{"account", kNameA}, {"order", limit_buy()}}, true);
    REQUIRE_FALSE(is_error(r));
    CHECK(r["structuredContent"]["sent"] == true);
    CHECK(r["structuredContent"]["confirmedBy"] == "elicitation");
    CHECK(b.schwab.placed == 1);
    REQUIRE(b.outbound.sent.size() == 1);
    const Json& ask = b.outbound.sent[0];
    CHECK(ask["method"] == "elicitation/create");
    std::string message = ask["params"]["message"];
    CHECK_THAT(message, Catch::StartsWith("Send this order at Schwab?") &&
                            Catch::Contains("Buy 10 shares of AAPL at a limit of $150.00") &&
                            Catch::Contains(kNameA));
    CHECK_FALSE(leaks(ask));
    CHECK(ask["params"]["requestedSchema"]["required"][0] == "confirm");
    CHECK(b.host.sql("SELECT confirmation FROM order_journal")[0]["confirmation"] == "elicitation");
  }
  SECTION("the person declines: nothing sent") {
    b.outbound.reply = {{"action", "decline"}};
    Json r = b.call("placeOrder", {{"account", kNameA}, {"order", limit_buy()}}, true);
    CHECK(r["structuredContent"]["status"] == "declined");
    CHECK(b.schwab.placed == 0);
  }
  SECTION("accepted without ticking confirm: nothing sent") {
    b.outbound.reply = {{"action", "accept"}, {"content", {{"confirm", false}}}};
    Json r = b.call("placeOrder", {{"account", kNameA}, {"order", limit_buy()}}, true);
    CHECK(r["structuredContent"]["sent"] == false);
    CHECK(b.schwab.placed == 0);
  }
  SECTION("no stream to ask on: the preview comes back") {
    b.outbound.streaming = false;
    Json r = b.call("placeOrder", {{"account", kNameA}, {"order", limit_buy()}}, true);
    CHECK(r["structuredContent"]["status"] == "confirmation_required");
    CHECK(b.schwab.placed == 0);
  }
  SECTION("an order Schwab would reject gets no token and is not sent") {
    b.schwab.route = [](const std::string&, const std::string& path,
                        const Json&) -> std::optional<Json> {
      if (path.find("/previewOrder") == std::string::npos) return std::nullopt;
      Json p = fixture("preview.json");
      p["orderValidationResult"]["rejects"] = {
          {{"validationRuleName", "BuyingPower"}, {"message", "Insufficient buying power"}}};
      return response(200, p);
    };
    Json r = b.call("placeOrder", {{"account", kNameA}, {"order", limit_buy()}}, true);
    CHECK(r["structuredContent"]["status"] == "would_be_rejected");
    CHECK(token_of(r).empty());
    CHECK(b.outbound.sent.empty());
    CHECK(b.schwab.placed == 0);
  }
}

TEST_CASE("cancelOrder and replaceOrder go through the same confirmation", "[schwab][orders]") {
  ToolBench b;
  SECTION("cancel: the order to cancel, a token, then DELETE") {
    Json first = b.call("cancelOrder", {{"account", kNameB}, {"orderId", 1000454139831LL}});
    REQUIRE_FALSE(is_error(first));
    CHECK(first["structuredContent"]["status"] == "confirmation_required");
    CHECK_THAT(first["structuredContent"]["summary"].get<std::string>(),
               Catch::StartsWith("Cancel order 1000454139831 in " + kNameB + " at Schwab.") &&
                   Catch::Contains("WORKING"));
    CHECK(b.schwab.cancelled == 0);
    Json done = b.call("cancelOrder", {{"account", kNameB},
                                       {"orderId", 1000454139831LL},
                                       {"confirmationToken", token_of(first)}});
    REQUIRE_FALSE(is_error(done));
    CHECK(done["structuredContent"]["cancelled"] == true);
    CHECK(b.schwab.cancelled == 1);
    CHECK(count(b.requests(), "DELETE /trader/v1/accounts/" + kHashB + "/orders/1000454139831") ==
          1);
    CHECK_FALSE(leaks(done));
    SECTION("a cancel token cannot cancel another order") {
      Json other = b.call("cancelOrder", {{"account", kNameB}, {"orderId", 42}});
      Json wrong =
          b.call("cancelOrder",
                 {{"account", kNameB}, {"orderId", 43}, {"confirmationToken", token_of(other)}});
      CHECK(is_error(wrong));
      CHECK(b.schwab.cancelled == 1);
    }
  }
  SECTION("replace: previewOrder with orderId gives the token for replaceOrder") {
    Json preview =
        b.call("previewOrder",
               {{"account", kNameA}, {"order", limit_buy(149)}, {"orderId", 1000454139831LL}});
    CHECK_THAT(preview["structuredContent"]["next"].get<std::string>(),
               Catch::Contains("replaceOrder"));
    std::string token = token_of(preview);
    // A replace token does not place a new order.
    Json misuse =
        b.call("placeOrder",
               {{"account", kNameA}, {"order", limit_buy(149)}, {"confirmationToken", token}});
    CHECK(is_error(misuse));
    Json r = b.call("replaceOrder", {{"account", kNameA},
                                     {"orderId", 1000454139831LL},
                                     {"order", limit_buy(149)},
                                     {"confirmationToken", token}});
    REQUIRE_FALSE(is_error(r));
    CHECK(r["structuredContent"]["orderId"] == "1000500000002");
    CHECK(r["structuredContent"]["replacedOrderId"] == "1000454139831");
    CHECK(b.schwab.replaced == 1);
    CHECK(b.schwab.placed == 0);
  }
}

TEST_CASE("a failed mutation is reported, journaled, and never retried", "[schwab][orders]") {
  ToolBench b;
  Json preview = b.call("previewOrder", {{"account", kNameA}, {"order", limit_buy()}});
  std::string token = token_of(preview);
  SECTION("Schwab answers 500: one attempt, journaled as failed") {
    b.schwab.route = [](const std::string& method, const std::string&,
                        const Json&) -> std::optional<Json> {
      if (method == "POST") return response(500, {{"message", "Internal Server Error"}});
      return std::nullopt;
    };
    Json r = b.call("placeOrder",
                    {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}});
    REQUIRE(is_error(r));
    CHECK_THAT(text_of(r), Catch::StartsWith("server_error: "));
    CHECK(count(b.requests(), "POST /trader/v1/accounts/" + kHashA + "/orders") == 1);
    CHECK(b.host.sql("SELECT status FROM order_journal")[0]["status"] == "failed");
  }
  SECTION("no answer: the outcome is unknown and said so") {
    b.schwab.route = [](const std::string& method, const std::string& path,
                        const Json&) -> std::optional<Json> {
      if (method == "POST" && path.find("/orders") != std::string::npos)
        return Json{{"error", {{"code", "timeout"}, {"message", "no answer"}}}};
      return std::nullopt;
    };
    Json r = b.call("placeOrder",
                    {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}});
    CHECK_THAT(text_of(r),
               Catch::StartsWith("network_error: ") && Catch::Contains("may or may not"));
    CHECK(count(b.requests(), "POST /trader/v1/accounts/" + kHashA + "/orders") == 1);
    CHECK(b.host.sql("SELECT status FROM order_journal")[0]["status"] == "unknown");
  }
  SECTION("the journal cannot be written: nothing is sent") {
    b.host.sql("DROP TABLE order_journal");
    Json r = b.call("placeOrder",
                    {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}});
    CHECK_THAT(text_of(r), Catch::Contains("not sent"));
    CHECK(b.schwab.placed == 0);
  }
}

TEST_CASE("TRADING_MODE=disabled: previews without tokens", "[schwab][orders]") {
  ToolBench b("disabled");
  Json r = b.call("previewOrder", {{"account", kNameA}, {"order", limit_buy()}});
  CHECK(r["structuredContent"]["status"] == "preview_only");
  CHECK(token_of(r).empty());
  CHECK(b.host.sql("SELECT token_hash FROM order_confirmations").empty());
}
