// The mutation flow's rules, through the Schwab tools (the flow is the same for every
// broker): a client that can be asked is asked for every order, even with a valid token;
// a decline sends nothing; TRADING_MODE=elicit refuses clients that cannot be asked; a
// grant without brokerage:trade never sends and gets no token, even if the server layer
// were bypassed.
#include "unit/brokers/schwab/schwab_harness.hpp"

using namespace bmcp;
using namespace bmcp::testing::schwab;

namespace {

std::string token_of(const Json& result) {
  return result["structuredContent"].value("confirmationToken", std::string());
}

int elicitations(const ToolBench& b) {
  int n = 0;
  for (const Json& m : b.outbound.sent) n += m.value("method", "") == "elicitation/create";
  return n;
}

bool no_mutation_reached_schwab(const ToolBench& b) {
  for (const std::string& r : b.requests())
    if (r.rfind("POST /trader/v1/accounts/" + kHashA + "/orders", 0) == 0 ||
        r.rfind("PUT ", 0) == 0 || r.rfind("DELETE ", 0) == 0)
      return false;
  return b.schwab.placed == 0 && b.schwab.replaced == 0 && b.schwab.cancelled == 0;
}

}  // namespace

TEST_CASE("a client that can be asked is asked for every order, even with a token",
          "[orders][mutation_flow][elicitation]") {
  ToolBench b;
  Json preview = b.call("previewOrder", {{"account", kNameA}, {"order", limit_buy()}}, true);
  std::string token = token_of(preview);
  REQUIRE_FALSE(token.empty());
  CHECK_THAT(preview["structuredContent"]["next"].get<std::string>(),
             Catch::Contains("also be asked"));
  CHECK(elicitations(b) == 0);  // a preview asks nobody

  SECTION("the person accepts: sent once, confirmed by elicitation") {
    Json r =
        b.call("placeOrder",
               {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}}, true);
    REQUIRE_FALSE(is_error(r));
    CHECK(r["structuredContent"]["sent"] == true);
    CHECK(r["structuredContent"]["confirmedBy"] == "elicitation");
    REQUIRE(elicitations(b) == 1);
    std::string message = b.outbound.sent[0]["params"]["message"];
    CHECK_THAT(message,
               Catch::Contains("Buy 10 shares of AAPL at a limit of $150.00, good for the day.") &&
                   Catch::Contains(kNameA) &&
                   Catch::Contains("Nothing is sent unless you confirm"));
    CHECK(b.schwab.placed == 1);
    CHECK(b.host.sql("SELECT confirmation FROM order_journal")[0]["confirmation"] == "elicitation");
  }
  SECTION("the person declines: nothing is sent, nothing journaled, and the token is spent") {
    b.outbound.reply = {{"action", "decline"}};
    Json r =
        b.call("placeOrder",
               {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}}, true);
    CHECK(r["structuredContent"]["sent"] == false);
    CHECK(r["structuredContent"]["status"] == "declined");
    CHECK(elicitations(b) == 1);
    CHECK(no_mutation_reached_schwab(b));
    CHECK(b.host.sql("SELECT id FROM order_journal").empty());
    // The same token cannot be replayed to get round the answer.
    b.outbound.reply = {{"action", "accept"}, {"content", {{"confirm", true}}}};
    Json again =
        b.call("placeOrder",
               {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}}, false);
    CHECK(is_error(again));
    CHECK(no_mutation_reached_schwab(b));
  }
  SECTION("the person cancels the prompt: nothing is sent") {
    b.outbound.reply = {{"action", "cancel"}};
    Json r =
        b.call("placeOrder",
               {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}}, true);
    CHECK(r["structuredContent"]["status"] == "declined");
    CHECK(no_mutation_reached_schwab(b));
  }
  SECTION("no answer comes: the token alone does not send") {
    b.outbound.reply = {{"action", "something else"}};
    Json r =
        b.call("placeOrder",
               {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}}, true);
    CHECK(r["structuredContent"]["sent"] == false);
    CHECK_THAT(r["structuredContent"]["next"].get<std::string>(),
               Catch::Contains("no answer came"));
    CHECK(no_mutation_reached_schwab(b));
  }
  SECTION("the token must still match: a changed order is refused without asking") {
    Json other = limit_buy();
    other["price"] = 151;
    Json r = b.call("placeOrder",
                    {{"account", kNameA}, {"order", other}, {"confirmationToken", token}}, true);
    REQUIRE(is_error(r));
    CHECK_THAT(text_of(r),
               Catch::Contains("different order") && Catch::Contains("Nothing was sent"));
    CHECK(elicitations(b) == 0);
    CHECK(no_mutation_reached_schwab(b));
  }
  SECTION("cancel and replace ask too") {
    Json cancel = b.call("cancelOrder", {{"account", kNameB}, {"orderId", 1000454139831LL}});
    b.outbound.reply = {{"action", "decline"}};
    Json r = b.call("cancelOrder",
                    {{"account", kNameB},
                     {"orderId", 1000454139831LL},
                     {"confirmationToken", token_of(cancel)}},
                    true);
    CHECK(r["structuredContent"]["status"] == "declined");
    CHECK(elicitations(b) == 1);
    CHECK_THAT(b.outbound.sent[0]["params"]["message"].get<std::string>(),
               Catch::StartsWith("Cancel this order at Schwab?"));
    CHECK(b.schwab.cancelled == 0);
    Json replace =
        b.call("previewOrder",
               {{"account", kNameA}, {"order", limit_buy()}, {"orderId", 1000454139831LL}});
    Json rr = b.call("replaceOrder",
                     {{"account", kNameA},
                      {"orderId", 1000454139831LL},
                      {"order", limit_buy()},
                      {"confirmationToken", token_of(replace)}},
                     true);
    CHECK(rr["structuredContent"]["status"] == "declined");
    CHECK(elicitations(b) == 2);
    CHECK(b.schwab.replaced == 0);
  }
}

TEST_CASE("a client that cannot be asked needs the token", "[orders][mutation_flow]") {
  ToolBench b;
  Json first = b.call("placeOrder", {{"account", kNameA}, {"order", limit_buy()}});
  CHECK(first["structuredContent"]["status"] == "confirmation_required");
  CHECK(b.schwab.placed == 0);
  Json placed =
      b.call("placeOrder",
             {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token_of(first)}});
  CHECK(placed["structuredContent"]["confirmedBy"] == "token");
  CHECK(b.schwab.placed == 1);
  CHECK(elicitations(b) == 0);
}

TEST_CASE("TRADING_MODE=elicit: only the person's answer in their app sends an order",
          "[orders][mutation_flow][elicitation]") {
  ToolBench b("elicit");
  SECTION("a client that cannot elicit is refused, nothing is asked of Schwab") {
    Json r = b.call("placeOrder", {{"account", kNameA}, {"order", limit_buy()}});
    REQUIRE(is_error(r));
    CHECK_THAT(text_of(r), Catch::Contains("TRADING_MODE=elicit") &&
                               Catch::Contains("cannot ask them") &&
                               Catch::Contains("Nothing was sent"));
    for (const std::string& req : b.requests())
      CHECK((req.find("/orders") == std::string::npos &&
             req.find("previewOrder") == std::string::npos));
    CHECK(no_mutation_reached_schwab(b));
  }
  SECTION("declaring elicitation is not enough when the request cannot carry the question") {
    b.outbound.streaming = false;
    Json r = b.call("cancelOrder", {{"account", kNameB}, {"orderId", 1000454139831LL}}, true);
    REQUIRE(is_error(r));
    CHECK_THAT(text_of(r), Catch::Contains("TRADING_MODE=elicit"));
    CHECK(no_mutation_reached_schwab(b));
  }
  SECTION("previews issue no token; the person confirms through elicitation") {
    Json preview = b.call("previewOrder", {{"account", kNameA}, {"order", limit_buy()}});
    CHECK(token_of(preview).empty());
    CHECK(preview["structuredContent"]["status"] == "preview_only");
    CHECK(b.host.sql("SELECT token_hash FROM order_confirmations").empty());
    Json asked = b.call("previewOrder", {{"account", kNameA}, {"order", limit_buy()}}, true);
    CHECK(token_of(asked).empty());
    CHECK(asked["structuredContent"]["status"] == "confirmation_required");
    Json r = b.call("placeOrder", {{"account", kNameA}, {"order", limit_buy()}}, true);
    CHECK(r["structuredContent"]["confirmedBy"] == "elicitation");
    CHECK(elicitations(b) == 1);
    CHECK(b.schwab.placed == 1);
  }
}

TEST_CASE("a read-only grant never sends an order, even past the server layer",
          "[orders][mutation_flow][scopes]") {
  ToolBench b;
  b.principal.scope = "brokerage:read";
  SECTION("the preview works but issues no token") {
    Json r = b.call("previewOrder", {{"account", kNameA}, {"order", limit_buy()}}, true);
    REQUIRE_FALSE(is_error(r));
    CHECK(r["structuredContent"]["status"] == "preview_only");
    CHECK_THAT(r["structuredContent"]["next"].get<std::string>(), Catch::Contains("read-only"));
    CHECK(token_of(r).empty());
    CHECK(b.host.sql("SELECT token_hash FROM order_confirmations").empty());
  }
  SECTION("a mutation is refused before anything reaches Schwab, and nobody is asked") {
    for (const char* tool : {"placeOrder", "cancelOrder"}) {
      Json args = {{"account", kNameA}, {"order", limit_buy()}, {"orderId", 1000454139831LL}};
      if (std::string(tool) == "placeOrder") args.erase("orderId");
      else args.erase("order");
      Json r = b.call(tool, args, true);
      REQUIRE(is_error(r));
      CHECK_THAT(text_of(r), Catch::StartsWith("insufficient_scope: " + std::string(tool)) &&
                                 Catch::Contains("Nothing was sent"));
    }
    CHECK(elicitations(b) == 0);
    CHECK(no_mutation_reached_schwab(b));
    for (const std::string& r : b.requests()) CHECK(r.find("/orders") == std::string::npos);
  }
  SECTION("a token issued while the grant could trade is no use to a read-only grant") {
    b.principal.scope = "brokerage:read brokerage:trade";
    std::string token =
        token_of(b.call("previewOrder", {{"account", kNameA}, {"order", limit_buy()}}));
    REQUIRE_FALSE(token.empty());
    b.principal.scope = "brokerage:read";
    Json r = b.call("placeOrder",
                    {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}});
    CHECK_THAT(text_of(r), Catch::StartsWith("insufficient_scope"));
    CHECK(no_mutation_reached_schwab(b));
  }
}
