// Orders in plain words, for the person.
#include <catch2/catch.hpp>

#include "orders/order_wording.hpp"

using namespace bmcp;
using namespace bmcp::orders;

TEST_CASE("orders are described in plain words", "[orders][wording]") {
  OrderSummary o;
  o.broker = "Schwab";
  o.action = "place";
  o.account_display = "Individual-...123";
  o.order_type = "LIMIT";
  o.price = "150";
  o.duration = "DAY";
  o.session = "NORMAL";
  o.legs = {{"BUY", "10", "AAPL", false}};
  CHECK(describe_legs(o) == "Buy 10 shares of AAPL at a limit of $150.00, good for the day.");
  o.order_value = 1500;
  o.commission_and_fees = 0.03;
  o.buying_power_after = 5582.68;
  o.warnings = {"The limit price is away from the current market"};
  std::string all = describe_order(o);
  CHECK_THAT(all, Catch::Contains("Account: Individual-...123 at Schwab."));
  CHECK_THAT(all, Catch::Contains("Estimated order value: $1,500.00."));
  CHECK_THAT(all, Catch::Contains("Commission and fees: $0.03."));
  CHECK_THAT(all, Catch::Contains("Buying power afterwards: $5,582.68."));
  CHECK_THAT(all, Catch::Contains("Warnings: The limit price is away"));
  CHECK_THAT(confirmation_question(o), Catch::StartsWith("Send this order at Schwab?"));

  SECTION("spreads, options and sessions") {
    OrderSummary s;
    s.broker = "Schwab";
    s.order_type = "NET_CREDIT";
    s.price = "1.2";
    s.duration = "GOOD_TILL_CANCEL";
    s.session = "SEAMLESS";
    s.legs = {{"SELL_TO_OPEN", "1", "SPY   241115P00550000", true},
              {"BUY_TO_OPEN", "1", "SPY   241115P00545000", true}};
    CHECK(describe_legs(s) ==
          "Sell to open 1 contract of SPY   241115P00550000 and buy to open 1 contract of SPY   "
          "241115P00545000 for a "
          "net credit of $1.20, good till cancelled, in all sessions.");
  }
  SECTION("market and stop orders") {
    OrderSummary m = o;
    m.order_type = "MARKET";
    m.legs = {{"SELL", "1", "KO", false}};
    CHECK(describe_legs(m) == "Sell 1 share of KO at the market price, good for the day.");
    m.order_type = "STOP_LIMIT";
    m.stop_price = "99.5";
    m.price = "99";
    CHECK_THAT(describe_legs(m), Catch::Contains("with a stop at $99.50 and a limit of $99.00"));
  }
  SECTION("cancel and replace") {
    OrderSummary c = o;
    c.action = "cancel";
    c.order_id = "1000454139831";
    c.status = "WORKING";
    c.order_value.reset();
    c.commission_and_fees.reset();
    c.buying_power_after.reset();
    c.warnings.clear();
    CHECK(describe_order(c) ==
          "Cancel order 1000454139831 in Individual-...123 at Schwab. The order: Buy 10 shares of "
          "AAPL at a limit of "
          "$150.00, good for the day. Its status is WORKING.");
    c.action = "replace";
    CHECK_THAT(
        describe_order(c),
        Catch::StartsWith("Replace order 1000454139831 in Individual-...123 at Schwab with: Buy"));
  }
  SECTION("rejections are said") {
    OrderSummary r = o;
    r.rejections = {"insufficient buying power"};
    CHECK_THAT(describe_order(r),
               Catch::Contains("Schwab would reject it: insufficient buying power."));
    // Brokers' own messages end with a full stop: the summary still ends with one, not "..".
    r.rejections = {"Insufficient buying power.", "Market is closed. "};
    r.warnings = {"Order will be queued."};
    const std::string said = describe_order(r);
    CHECK_THAT(said,
               Catch::Contains("would reject it: Insufficient buying power; Market is closed."));
    CHECK_THAT(said, Catch::Contains("Warnings: Order will be queued."));
    // (Display names such as Individual-...123 have an ellipsis; a doubled stop is "x..").
    bool doubled = false;
    for (std::size_t i = 1; i + 1 < said.size(); ++i)
      doubled = doubled || (said[i] == '.' && said[i + 1] == '.' && said[i - 1] != '.' &&
                            (i + 2 >= said.size() || said[i + 2] != '.'));
    CHECK_FALSE(doubled);
  }
}

TEST_CASE("money and numbers", "[orders][wording]") {
  CHECK(format_money(0) == "$0.00");
  CHECK(format_money(1234567.891) == "$1,234,567.89");
  CHECK(format_money(-0.5) == "-$0.50");
  CHECK(format_money(999.999) == "$1,000.00");
  CHECK(number_text(Json(10)) == "10");
  CHECK(number_text(Json(10.0)) == "10");
  CHECK(number_text(Json(0.5)) == "0.5");
  CHECK(number_text(Json("150.00")) == "150.00");
  CHECK(confirmation_schema()["required"][0] == "confirm");
}
