#include "support/unbounded_json.hpp"
#include <catch2/catch.hpp>

#include <string>

#include "base/json.hpp"
#include "privacy/account_display_map.hpp"
#include "privacy/account_scrubber.hpp"

using bmcp::Json;
using bmcp::privacy::AccountDisplayMap;
using bmcp::privacy::looks_like_leak;
using bmcp::privacy::mentions_unknown_account;
using bmcp::privacy::scrub_accounts;
using bmcp::privacy::scrub_accounts_in_text;

namespace {

const std::string kHash = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
const std::string kIraHash = "0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0";

AccountDisplayMap schwab_accounts() {
  return AccountDisplayMap::build(
      {{"11223344", kHash, "Individual", "Brokerage"}, {"98765432", kIraHash, "IRA", ""}});
}

AccountDisplayMap tastytrade_accounts() {
  return AccountDisplayMap::build(
      {{"5WX34382", "", "Individual", "Main"}, {"5YZ55555", "", "Roth IRA", ""}});
}

Json parse(const char* text) {
  auto json = bmcp::parse_json(text);
  REQUIRE(json.has_value());
  return *json;
}

bool dump_mentions(const Json& value, const std::string& needle) {
  std::string dumped = bmcp::dump_json(value);
  std::string lowered_dump;
  std::string lowered_needle;
  for (char c : dumped)
    lowered_dump.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (char c : needle)
    lowered_needle.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lowered_dump.find(lowered_needle) != std::string::npos;
}

}  // namespace

TEST_CASE("Schwab payloads lose every account number and hash", "[privacy][scrubber]") {
  auto map = schwab_accounts();

  SECTION("accountNumbers: numbers and hashes become display names") {
    Json raw = parse(
        R"([{"accountNumber":"11223344","hashValue":"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"},
                         {"accountNumber":"98765432","hashValue":"0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0"}])");
    Json out = scrub_accounts(raw, map);
    CHECK(out == parse(R"([{"accountNumber":"Individual-...344","hashValue":"Individual-...344"},
                           {"accountNumber":"IRA-...432","hashValue":"IRA-...432"}])"));
    CHECK_FALSE(looks_like_leak(out, map));
    CHECK(looks_like_leak(raw, map));
  }

  SECTION("accounts with positions: only the account number changes") {
    Json raw =
        parse(R"([{"securitiesAccount":{"type":"MARGIN","accountNumber":"11223344","roundTrips":0,
      "isDayTrader":false,"positions":[{"shortQuantity":0,"averagePrice":5.25,"longQuantity":1,
      "instrument":{"assetType":"OPTION","cusip":"0AMAT.KF40210000","symbol":"AMAT  241115C00210000",
      "netChange":-9.3763,"putCall":"CALL","underlyingSymbol":"AMAT"},"marketValue":505}],
      "currentBalances":{"cashBalance":3540.83,"liquidationValue":4045.83,"buyingPower":7082.68}},
      "aggregatedBalance":{"currentLiquidationValue":4045.83}}])");
    Json out = scrub_accounts(raw, map);
    Json expected = raw;
    expected[0]["securitiesAccount"]["accountNumber"] = "Individual-...344";
    CHECK(out == expected);
    CHECK(out[0]["securitiesAccount"]["positions"][0]["averagePrice"].is_number_float());
    CHECK(out[0]["securitiesAccount"]["roundTrips"].is_number_integer());
  }

  SECTION("orders carry accountNumber as a JSON integer") {
    Json raw = parse(R"({"session":"NORMAL","orderType":"LIMIT","quantity":1,"price":150.0,
      "orderId":1000454139831,"status":"WORKING","enteredTime":"2024-05-07T13:30:01+0000",
      "orderLegCollection":[{"legId":1,"instrument":{"assetType":"EQUITY","cusip":"037833100",
      "symbol":"AAPL","instrumentId":1973757747},"instruction":"BUY","quantity":1}],
      "accountNumber":11223344})");
    Json out = scrub_accounts(raw, map);
    CHECK(out["accountNumber"] == "Individual-...344");
    CHECK(out["orderId"] == 1000454139831LL);
    CHECK(out["orderLegCollection"][0]["instrument"]["instrumentId"] == 1973757747);
    CHECK(out["price"] == 150.0);
    CHECK_FALSE(looks_like_leak(out, map));
  }

  SECTION("a float equal to an account number is an account number") {
    Json out = scrub_accounts(Json{{"accountNumber", 98765432.0}, {"other", 98765432.5}}, map);
    CHECK(out["accountNumber"] == "IRA-...432");
    CHECK(out["other"] == "IRA-...432.5");  // its text contains the number: not left visible
  }

  SECTION("hash values as object keys, and keys that collide after scrubbing") {
    Json raw;
    raw[kHash] = {{"balance", 1}};
    raw["11223344"] = {{"balance", 2}};
    raw["plain"] = 3;
    Json out = scrub_accounts(raw, map);
    CHECK(out.size() == 3);
    CHECK(out.contains("Individual-...344"));
    CHECK(out.contains("Individual-...344 [2]"));
    CHECK(out["plain"] == 3);
    CHECK_FALSE(looks_like_leak(out, map));
  }

  SECTION("error messages, URLs and Location headers") {
    Json raw = {{"message", "Account 11223344 not found"},
                {"errors",
                 {"No trading on account 98765432.",
                  "hash e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 invalid"}},
                {"location",
                 "https://api.schwabapi.com/trader/v1/accounts/" + kHash + "/orders/1000454139831"},
                {"url", "/trader/v1/accounts/" + kIraHash + "/transactions?types=TRADE"}};
    Json out = scrub_accounts(raw, map);
    CHECK(out["message"] == "Account Individual-...344 not found");
    CHECK(out["errors"][0] == "No trading on account IRA-...432.");
    CHECK(out["errors"][1] == "hash Individual-...344 invalid");
    CHECK(out["location"] ==
          "https://api.schwabapi.com/trader/v1/accounts/Individual-...344/orders/1000454139831");
    CHECK(out["url"] == "/trader/v1/accounts/IRA-...432/transactions?types=TRADE");
    CHECK_FALSE(looks_like_leak(out, map));
  }

  SECTION("an account number glued inside a longer digit run is still removed") {
    CHECK(scrub_accounts_in_text("ref 0011223344999", map) == "ref 00Individual-...344999");
    Json out = scrub_accounts(Json{{"id", 991122334455LL}}, map);
    CHECK(out["id"] == "99Individual-...34455");
    CHECK_FALSE(looks_like_leak(out, map));
  }

  SECTION("transactions and user preferences") {
    Json raw = parse(R"({"activityId":80990733204,"accountNumber":"11223344","type":"TRADE",
      "netAmount":-248.66,"transferItems":[{"amount":0.65,"cost":-0.65,"feeType":"COMMISSION"}],
      "prefs":{"accounts":[{"accountNumber":"98765432","primaryAccount":true,"nickName":"IRA",
      "displayAcctId":"...5432"}]}})");
    Json out = scrub_accounts(raw, map);
    CHECK(out["accountNumber"] == "Individual-...344");
    CHECK(out["activityId"] == 80990733204LL);
    CHECK(out["netAmount"] == -248.66);
    CHECK(out["prefs"]["accounts"][0]["accountNumber"] == "IRA-...432");
    CHECK(out["prefs"]["accounts"][0]["displayAcctId"] == "...5432");
  }

  SECTION("scrubbing is idempotent") {
    Json raw = {{"accountNumber", 11223344}, {"m", "acct 98765432 / " + kHash}};
    Json once = scrub_accounts(raw, map);
    CHECK(scrub_accounts(once, map) == once);
  }
}

TEST_CASE("tastytrade payloads lose every account number", "[privacy][scrubber]") {
  auto map = tastytrade_accounts();

  SECTION("kebab-case account-number in positions and balances") {
    Json raw =
        parse(R"({"data":{"items":[{"account-number":"5WX34382","symbol":"RIVN  230609P00014000",
      "instrument-type":"Equity Option","quantity":1,"average-open-price":"0.52"},
      {"account-number":"5YZ55555","symbol":"AAPL","quantity":"10"}]},
      "context":"/accounts/5WX34382/positions"})");
    Json out = scrub_accounts(raw, map);
    CHECK(out["data"]["items"][0]["account-number"] == "Individual-...382");
    CHECK(out["data"]["items"][1]["account-number"] == "Roth IRA-...555");
    CHECK(out["data"]["items"][0]["quantity"] == 1);
    CHECK(out["data"]["items"][0]["symbol"] == "RIVN  230609P00014000");
    CHECK(out["context"] == "/accounts/Individual-...382/positions");
    CHECK_FALSE(looks_like_leak(out, map));
  }

  SECTION("customer accounts list with nested account objects") {
    Json raw = parse(R"({"data":{"items":[{"account":{"account-number":"5WX34382",
      "account-type-name":"Individual","nickname":"Main","margin-or-cash":"Margin"},
      "authority-level":"owner"}]},"context":"/customers/me/accounts"})");
    Json out = scrub_accounts(raw, map);
    CHECK(out["data"]["items"][0]["account"]["account-number"] == "Individual-...382");
    CHECK(out["data"]["items"][0]["account"]["nickname"] == "Main");
  }

  SECTION("lower-case forms are found too") {
    CHECK(scrub_accounts_in_text("see /accounts/5wx34382/orders", map) ==
          "see /accounts/Individual-...382/orders");
  }
}

TEST_CASE("account fields with identifiers the map does not know", "[privacy][scrubber]") {
  auto map = schwab_accounts();
  Json raw = {{"accountNumber", "55554444"},
              {"account-number", 77776666},
              {"accountNumbers", {"11223344", "99990000"}},
              {"hashValue", "ABCDEF0123456789ABCDEF"},
              {"accountId", "n/a"},
              {"accountNumber2", "55554444"}};
  CHECK(mentions_unknown_account(raw, map));
  Json out = scrub_accounts(raw, map);
  CHECK(out["accountNumber"] == "[unknown account ...444]");
  CHECK(out["account-number"] == "[unknown account ...666]");
  CHECK(out["accountNumbers"] == Json{"Individual-...344", "[unknown account ...000]"});
  CHECK(out["hashValue"] == "[unknown account ...DEF]");
  CHECK(out["accountId"] == "n/a");
  CHECK(out["accountNumber2"] == "55554444");  // not an account field: nothing to go on
  CHECK_FALSE(mentions_unknown_account(out, map));
  CHECK_FALSE(
      mentions_unknown_account(scrub_accounts(Json{{"accountNumber", 11223344}}, map), map));
  CHECK_FALSE(mentions_unknown_account(Json{{"accountNumber", "11223344"}}, map));
}

TEST_CASE("values that are not identifiers are left alone", "[privacy][scrubber]") {
  auto map = schwab_accounts();
  Json raw = parse(R"({"quantity":11223,"price":1122.3344,"strike":112233.44,"big":1.1223344e-3,
    "id":"1122334","flags":[true,false,null],"text":"1122 3344","nested":{"a":[1,2,3]}})");
  CHECK(scrub_accounts(raw, map) == raw);
  CHECK_FALSE(looks_like_leak(raw, map));

  SECTION("an empty map changes nothing") {
    AccountDisplayMap empty;
    Json with_numbers = {{"accountNumber", "has no map"}, {"x", 11223344}};
    CHECK(scrub_accounts(with_numbers, empty) == with_numbers);
    CHECK_FALSE(looks_like_leak(with_numbers, empty));
  }
}

TEST_CASE("account numbers with leading zeros are found in their numeric form",
          "[privacy][scrubber]") {
  auto map = AccountDisplayMap::build({{"00123456789", "", "Individual", ""}});
  CHECK(scrub_accounts(Json(123456789), map) == "Individual-...789");
  CHECK(scrub_accounts(Json("00123456789"), map) == "Individual-...789");
  CHECK(scrub_accounts(Json("acct 123456789"), map) == "acct Individual-...789");
}

TEST_CASE("hostile input never crashes the scrubber", "[privacy][scrubber][hostile]") {
  auto map = schwab_accounts();

  SECTION("non-object roots") {
    CHECK(scrub_accounts(Json(), map).is_null());
    CHECK(scrub_accounts(Json(true), map) == true);
    CHECK(scrub_accounts(Json("11223344"), map) == "Individual-...344");
    CHECK(scrub_accounts(Json(11223344), map) == "Individual-...344");
    CHECK(scrub_accounts(Json::array(), map) == Json::array());
  }

  SECTION("deep nesting is cut off, not recursed into") {
    const int depth = 100000;
    std::string text(depth, '[');
    text += "\"11223344\"";
    text += std::string(depth, ']');
    auto deep = bmcp::testing::parse_json_unbounded(text);  // deeper than any input may be
    REQUIRE(deep.has_value());
    CHECK(looks_like_leak(*deep, map));
    Json out = scrub_accounts(*deep, map);
    CHECK_FALSE(looks_like_leak(out, map));
    CHECK_FALSE(dump_mentions(out, "11223344"));
  }

  SECTION("huge strings are scanned once") {
    std::string huge(4'000'000, '7');
    huge.replace(2'000'000, 8, "11223344");
    std::string out = scrub_accounts_in_text(huge, map);
    CHECK(out.find("11223344") == std::string::npos);
    CHECK(out.size() == huge.size() - 8 + std::string("Individual-...344").size());
  }

  SECTION("invalid UTF-8 and control bytes survive") {
    std::string bytes("\xff\xfe\x00 11223344 \x01", 14);
    Json out = scrub_accounts(Json{{"m", bytes}}, map);
    CHECK_FALSE(dump_mentions(out, "11223344"));
  }
}
