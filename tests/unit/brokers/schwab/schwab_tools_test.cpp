// The Schwab tools against a fake Schwab (the fixtures) on the simulated platform:
// the listing, display names instead of account numbers, the requests each tool builds,
// the compact and capped answers, and the error mapping.
#include "unit/brokers/schwab/schwab_harness.hpp"

#include "brokers/schwab/schwab_accounts.hpp"

using namespace bmcp;
using namespace bmcp::testing::schwab;

namespace {

const std::vector<std::string> kAllTools = {"getAccounts",
                                            "getAccountNumbers",
                                            "getAccount",
                                            "getAccountPositions",
                                            "getOrders",
                                            "getOrdersByAccountNumber",
                                            "getOrder",
                                            "previewOrder",
                                            "placeOrder",
                                            "replaceOrder",
                                            "cancelOrder",
                                            "getTransactions",
                                            "getTransaction",
                                            "getUserPreference",
                                            "getQuotes",
                                            "getQuoteBySymbolId",
                                            "searchInstruments",
                                            "getInstrument",
                                            "getInstrumentByCusip",
                                            "getMarketHours",
                                            "getMarketHoursByMarketId",
                                            "getMovers",
                                            "getOptionChain",
                                            "getOptionExpirationChain",
                                            "getPriceHistory"};

bool contains(const std::vector<std::string>& v, const std::string& needle) {
  for (const auto& s : v)
    if (s.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("every Schwab tool is listed with a schema, descriptions and annotations",
          "[schwab][tools]") {
  ToolBench b;
  CHECK(b.catalog.tools.size() == kAllTools.size());
  for (const auto& name : kAllTools) {
    INFO(name);
    const mcp::ToolDefinition* t = b.tool(name);
    REQUIRE(t != nullptr);
    CHECK(t->description.size() > 30);
    CHECK_FALSE(t->title.empty());
    const Json& schema = t->input_schema;
    CHECK(schema["type"] == "object");
    CHECK(schema["additionalProperties"] == false);
    if (schema.contains("properties"))
      for (auto& [prop, s] : schema["properties"].items()) {
        INFO(prop);
        CHECK(s.contains("description"));
      }
    bool mutating = name == "placeOrder" || name == "replaceOrder" || name == "cancelOrder";
    CHECK(t->annotations.read_only == !mutating);
    CHECK(t->annotations.destructive.value_or(false) == mutating);
    CHECK(t->annotations.open_world == true);
  }
  CHECK(b.tool("getOrders")->output_schema["required"][0] == "orders");
  CHECK(b.tool("getAccountNumbers")->output_schema["properties"].contains("accounts"));
  CHECK(b.tool("getMovers")->input_schema["properties"]["sort"]["enum"] ==
        Json::array({"VOLUME", "TRADES", "PERCENT_CHANGE_UP", "PERCENT_CHANGE_DOWN"}));

  SECTION("TRADING_MODE=disabled lists no mutating tool") {
    ToolBench off("disabled");
    CHECK(off.tool("placeOrder") == nullptr);
    CHECK(off.tool("replaceOrder") == nullptr);
    CHECK(off.tool("cancelOrder") == nullptr);
    CHECK(off.tool("previewOrder") != nullptr);
    CHECK(off.catalog.tools.size() == kAllTools.size() - 3);
  }
}

TEST_CASE("accounts are named by display name and never numbered", "[schwab][accounts]") {
  ToolBench b;
  SECTION("getAccountNumbers lists display names only, and caches the map per user") {
    Json r = b.call("getAccountNumbers");
    REQUIRE_FALSE(is_error(r));
    Json names = Json::array();
    for (const auto& a : r["structuredContent"]["accounts"]) names.push_back(a["account"]);
    CHECK(names == Json::array({kNameA, kNameB, kNameC}));
    CHECK_FALSE(leaks(r));
    auto cached = b.host.kv_value("user:schwab:cust-fake-001:schwab:accounts");
    REQUIRE(cached);
    CHECK(cached->find(kHashA) != std::string::npos);  // server-side only
  }
  SECTION("getAccounts: balances and compact positions under display names") {
    Json r = b.call("getAccounts", {{"fields", "positions"}});
    REQUIRE_FALSE(is_error(r));
    const Json& accounts = r["structuredContent"]["accounts"];
    REQUIRE(accounts.size() == 2);
    CHECK(accounts[0]["accountNumber"] == kNameA);
    CHECK(accounts[1]["accountNumber"] == kNameB);
    CHECK(accounts[0]["aggregatedBalance"]["liquidationValue"] == 4045.83);
    CHECK_FALSE(accounts[0].contains("initialBalances"));
    const Json& pos = accounts[0]["positions"][0];
    CHECK(pos["instrument"]["symbol"] == "AMAT  241115C00210000");
    CHECK_FALSE(pos.contains("settledLongQuantity"));
    CHECK_FALSE(leaks(r));
    CHECK(contains(b.requests(), "GET /trader/v1/accounts?fields=positions"));
    SECTION("detail=full keeps every field") {
      Json full = b.call("getAccounts", {{"fields", "positions"}, {"detail", "full"}});
      CHECK(full["structuredContent"]["accounts"][0].contains("initialBalances"));
      CHECK(
          full["structuredContent"]["accounts"][0]["positions"][0].contains("settledLongQuantity"));
      CHECK_FALSE(leaks(full));
    }
  }
  SECTION("a display name is resolved to the hash, whatever its spelling") {
    Json r = b.call("getAccount", {{"account", "individual-...7123"}});
    REQUIRE_FALSE(is_error(r));
    CHECK(contains(b.requests(), "GET /trader/v1/accounts/" + kHashB));
    CHECK(r["structuredContent"]["accountNumber"] == kNameB);
    CHECK_FALSE(leaks(r));
  }
  SECTION("an unknown name is refused with the list of names, after one rebuild") {
    b.call("getAccountNumbers");
    b.host.http_log.clear();
    Json r = b.call("getAccount", {{"account", "Brokerage-...999"}});
    REQUIRE(is_error(r));
    CHECK_THAT(text_of(r), Catch::Contains(kNameA) && Catch::Contains(kNameC));
    CHECK_FALSE(leaks(r));
    int number_requests = 0;
    for (const auto& q : b.requests())
      number_requests += q == "GET /trader/v1/accounts/accountNumbers";
    CHECK(number_requests == 1);
  }
  SECTION("an account number or hash is never accepted as input, as with tastytrade") {
    // The model is only ever given display names; a number in its input came from
    // elsewhere (an injected prompt, a pasted statement).
    for (const Json& raw : {Json(kNumberA), Json(kHashA), Json(std::stoll(kNumberA))}) {
      INFO(dump_json(raw));
      b.host.http_log.clear();
      Json r = b.call("getAccount", {{"account", raw}});
      REQUIRE(is_error(r));
      CHECK_THAT(text_of(r), Catch::Contains("display name") && Catch::Contains(kNameA));
      CHECK_FALSE(leaks(r));
      for (const auto& q : b.requests())
        CHECK(q.find("/trader/v1/accounts/" + kHashA) == std::string::npos);
    }
    Json order = {{"orderType", "LIMIT"},
                  {"session", "NORMAL"},
                  {"duration", "DAY"},
                  {"orderStrategyType", "SINGLE"},
                  {"price", 1.0},
                  {"orderLegCollection",
                   {{{"instruction", "BUY"},
                     {"quantity", 1},
                     {"instrument", {{"symbol", "KO"}, {"assetType", "EQUITY"}}}}}}};
    Json preview = b.call("previewOrder", {{"account", kNumberA}, {"order", order}});
    REQUIRE(is_error(preview));
    CHECK_FALSE(contains(b.requests(), "previewOrder"));
  }
  SECTION("the map comes from the cache on later calls") {
    b.call("getAccountNumbers");
    b.host.http_log.clear();
    b.call("getAccount", {{"account", kNameA}});
    CHECK_FALSE(contains(b.requests(), "accountNumbers"));
  }
  SECTION("an account the cached map does not know makes it rebuild") {
    b.call("getAccountNumbers");
    // Schwab now also has account 99887766.
    const std::string hash_d = "AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12";
    b.schwab.route = [&](const std::string&, const std::string& path,
                         const Json&) -> std::optional<Json> {
      if (path == "/trader/v1/accounts/accountNumbers") {
        Json n = fixture("account_numbers.json");
        n.push_back({{"accountNumber", "99887766"}, {"hashValue", hash_d}});
        return response(200, n);
      }
      if (path == "/trader/v1/accounts") {
        Json a = fixture("accounts.json");
        Json d = a[1];
        d["securitiesAccount"]["accountNumber"] = "99887766";
        a.push_back(d);
        return response(200, a);
      }
      return std::nullopt;
    };
    Json r = b.call("getAccounts");
    REQUIRE_FALSE(is_error(r));
    CHECK(r["structuredContent"]["accounts"][2]["accountNumber"] == "Account-...766");
    CHECK(dump_json(r).find("99887766") == std::string::npos);
  }
}

TEST_CASE("each tool sends what Schwab expects", "[schwab][requests]") {
  ToolBench b;
  auto last = [&]() { return b.requests().back(); };

  SECTION("option chain: every filter forwarded, dates as Schwab wants them") {
    Json args = {{"symbol", "$SPX"},
                 {"contractType", "PUT"},
                 {"strikeCount", 4},
                 {"includeUnderlyingQuote", true},
                 {"strategy", "ANALYTICAL"},
                 {"interval", 5},
                 {"strike", 5700.5},
                 {"range", "OTM"},
                 {"fromDate", "2024-10-01T10:00:00Z"},
                 {"toDate", "2024-11-15"},
                 {"volatility", 18.5},
                 {"underlyingPrice", 5712},
                 {"interestRate", 4.5},
                 {"daysToExpiration", 30},
                 {"expMonth", "NOV"},
                 {"optionType", "S"},
                 {"entitlement", "NP"}};
    Json r = b.call("getOptionChain", args);
    REQUIRE_FALSE(is_error(r));
    CHECK(last() ==
          "GET "
          "/marketdata/v1/"
          "chains?symbol=%24SPX&contractType=PUT&strikeCount=4&includeUnderlyingQuote=true&"
          "strategy=ANALYTICAL&interval=5&strike=5700.5&range=OTM&fromDate=2024-10-01&toDate=2024-"
          "11-15&"
          "volatility=18.5&underlyingPrice=5712&interestRate=4.5&daysToExpiration=30&expMonth=NOV&"
          "optionType=S&"
          "entitlement=NP");
  }
  SECTION("option chain: compact by default, 10 strikes, every field on request") {
    Json r = b.call("getOptionChain", {{"symbol", "AAPL"}});
    CHECK(last() == "GET /marketdata/v1/chains?symbol=AAPL&strikeCount=10");
    const Json& call = r["structuredContent"]["callExpDateMap"]["2024-10-18:1"]["230.0"][0];
    CHECK(call["delta"] == 0.789);
    CHECK(call["openInterest"] == 41249);
    CHECK_FALSE(call.contains("optionDeliverablesList"));
    // Odd real data passes: "NaN" greeks, exchange names outside any enum, null currency.
    CHECK(r["structuredContent"]["putExpDateMap"]["2024-10-18:1"]["230.0"][0]["volatility"] ==
          "NaN");
    CHECK(r["structuredContent"]["underlying"]["exchangeName"] == "NASDAQ");
    Json full = b.call("getOptionChain", {{"symbol", "AAPL"}, {"detail", "full"}});
    CHECK(last() == "GET /marketdata/v1/chains?symbol=AAPL");
    CHECK(full["structuredContent"]["callExpDateMap"]["2024-10-18:1"]["230.0"][0].contains(
        "optionDeliverablesList"));
  }
  SECTION("price history: dates to epoch milliseconds, flags forwarded") {
    b.call("getPriceHistory", {{"symbol", "AAPL"},
                               {"periodType", "month"},
                               {"period", 3},
                               {"frequencyType", "daily"},
                               {"frequency", 1},
                               {"startDate", "2024-01-02"},
                               {"endDate", 1715088601000LL},
                               {"needExtendedHoursData", false},
                               {"needPreviousClose", true}});
    CHECK(last() ==
          "GET "
          "/marketdata/v1/"
          "pricehistory?symbol=AAPL&periodType=month&period=3&frequencyType=daily&frequency=1&"
          "startDate=1704153600000&endDate=1715088601000&needExtendedHoursData=false&"
          "needPreviousClose=true");
  }
  SECTION("movers: Schwab's sort names, the index in the path") {
    b.call("getMovers", {{"symbol_id", "$SPX"}, {"sort", "PERCENT_CHANGE_UP"}, {"frequency", 5}});
    CHECK(last() == "GET /marketdata/v1/movers/%24SPX?sort=PERCENT_CHANGE_UP&frequency=5");
  }
  SECTION("quotes: lists comma-joined") {
    b.call("getQuotes", {{"symbols", {"AAPL", "$SPX", "AAPL  241018C00230000"}},
                         {"fields", {"quote", "reference"}},
                         {"indicative", false}});
    CHECK(last() ==
          "GET "
          "/marketdata/v1/"
          "quotes?symbols=AAPL%2C%24SPX%2CAAPL%20%20241018C00230000&fields=quote%2Creference&"
          "indicative=false");
    b.call("getQuotes", {{"symbols", "MSFT,KO"}});
    CHECK(last() == "GET /marketdata/v1/quotes?symbols=MSFT%2CKO");
    b.call("getQuoteBySymbolId", {{"symbol_id", "BRK/B"}, {"fields", "quote"}});
    CHECK(last() == "GET /marketdata/v1/BRK%2FB/quotes?fields=quote");
  }
  SECTION("market hours: ISO dates in, YYYY-MM-DD out") {
    b.call("getMarketHours",
           {{"markets", {"equity", "option"}}, {"date", "2026-11-23T12:00:00-05:00"}});
    CHECK(last() == "GET /marketdata/v1/markets?markets=equity%2Coption&date=2026-11-23");
    b.call("getMarketHoursByMarketId", {{"market_id", "bond"}});
    CHECK(last() == "GET /marketdata/v1/markets/bond");
  }
  SECTION("instruments") {
    b.call("searchInstruments", {{"symbol", "AAP.*"}, {"projection", "symbol-regex"}});
    CHECK(last() == "GET /marketdata/v1/instruments?symbol=AAP.%2A&projection=symbol-regex");
    b.call("getInstrument", {{"symbol", "AAPL"}, {"projection", "fundamental"}});
    CHECK(last() == "GET /marketdata/v1/instruments?symbol=AAPL&projection=fundamental");
    b.call("getInstrument", {{"cusip", "037833100"}});
    CHECK(last() == "GET /marketdata/v1/instruments/037833100");
    b.call("getInstrumentByCusip", {{"cusip_id", "037833100"}});
    CHECK(last() == "GET /marketdata/v1/instruments/037833100");
    CHECK(is_error(b.call("getInstrument", Json::object())));
    b.call("getOptionExpirationChain", {{"symbol", "AAPL"}});
    CHECK(last() == "GET /marketdata/v1/expirationchain?symbol=AAPL");
  }
  SECTION("orders: a 30-day window by default, Schwab's time format") {
    // FakeHost's clock: 2023-11-14T22:13:20Z.
    Json r = b.call("getOrders");
    REQUIRE_FALSE(is_error(r));
    CHECK(last() ==
          "GET "
          "/trader/v1/"
          "orders?fromEnteredTime=2023-10-15T22%3A13%3A20.000Z&toEnteredTime=2023-11-14T22%3A13%"
          "3A20.000Z");
    CHECK(r["structuredContent"]["orders"][0]["accountNumber"] ==
          kNameA);  // Schwab sends it as a number
    CHECK_FALSE(leaks(r));
    b.call("getOrdersByAccountNumber", {{"account", kNameB},
                                        {"toEnteredTime", "2024-05-07"},
                                        {"status", "FILLED"},
                                        {"maxResults", 5}});
    CHECK(last() == "GET /trader/v1/accounts/" + kHashB +
                        "/orders?fromEnteredTime=2024-04-07T00%3A00%3A00.000Z&toEnteredTime=2024-"
                        "05-07T23%3A59%3A59.999Z&"
                        "maxResults=5&status=FILLED");
    b.call("getOrder", {{"account", kNameA}, {"orderId", 1000454139831LL}});
    CHECK(last() == "GET /trader/v1/accounts/" + kHashA + "/orders/1000454139831");
  }
  SECTION("transactions: every account when none is named, all types by default") {
    Json r = b.call("getTransactions", {{"startDate", "2024-05-01"}, {"endDate", "2024-05-31"}});
    REQUIRE_FALSE(is_error(r));
    auto reqs = b.requests();
    int per_account = 0;
    for (const auto& h : {kHashA, kHashB, kHashC})
      per_account += contains(
          reqs, "GET /trader/v1/accounts/" + h +
                    "/transactions?startDate=2024-05-01T00%3A00%3A00.000Z&"
                    "endDate=2024-05-31T23%3A59%3A59.999Z&types=TRADE%2CRECEIVE_AND_DELIVER");
    CHECK(per_account == 3);
    CHECK(r["structuredContent"]["transactions"].size() == 3);
    CHECK_FALSE(leaks(r));
    b.call("getTransactions",
           {{"account", kNameC}, {"types", {"TRADE", "DIVIDEND_OR_INTEREST"}}, {"symbol", "CVS"}});
    CHECK_THAT(last(), Catch::EndsWith("&types=TRADE%2CDIVIDEND_OR_INTEREST&symbol=CVS"));
    b.call("getTransaction", {{"account", kNameC}, {"transactionId", 80990733204LL}});
    CHECK(last() == "GET /trader/v1/accounts/" + kHashC + "/transactions/80990733204");
  }
  SECTION("a date that cannot be understood is refused before anything is sent") {
    std::size_t before = b.host.http_log.size();
    Json r = b.call("getMarketHours", {{"markets", "equity"}, {"date", "next tuesday"}});
    REQUIRE(is_error(r));
    CHECK_THAT(text_of(r), Catch::Contains("arguments.date"));
    CHECK(b.host.http_log.size() == before);
  }
  SECTION("user preferences are scrubbed") {
    Json r = b.call("getUserPreference");
    REQUIRE_FALSE(is_error(r));
    CHECK(r["structuredContent"]["accounts"][2]["accountNumber"] == kNameC);
    CHECK_FALSE(leaks(r));
  }
}

TEST_CASE("large answers are capped and say what was cut", "[schwab][limits]") {
  brokers::BrokerToolOptions options;
  options.max_output_chars = 3000;
  ToolBench b("confirm", options);
  b.schwab.route = [](const std::string&, const std::string& path,
                      const Json&) -> std::optional<Json> {
    if (path != "/marketdata/v1/pricehistory") return std::nullopt;
    Json candles = Json::array();
    for (int i = 0; i < 500; ++i)
      candles.push_back({{"open", 1.5 + i},
                         {"high", 2.5 + i},
                         {"low", 1.0 + i},
                         {"close", 2.0 + i},
                         {"volume", 1000 + i},
                         {"datetime", 1700000000000LL + i * 60000LL}});
    return response(200, {{"symbol", "AAPL"}, {"empty", false}, {"candles", candles}});
  };
  Json r = b.call("getPriceHistory", {{"symbol", "AAPL"}});
  REQUIRE_FALSE(is_error(r));
  const Json& s = r["structuredContent"];
  CHECK(dump_json(s).size() <= 3000);
  CHECK(s["symbol"] == "AAPL");
  CHECK(s["candles"].size() < 500);
  CHECK(s["candles"][0]["open"] == 1.5);  // the start is kept
  const Json& cut = s["_truncated"]["cut"][0];
  CHECK(cut["path"] == "candles");
  CHECK(cut["total"] == 500);
  CHECK(cut["kept"] == s["candles"].size());
  CHECK_THAT(s["_truncated"]["hint"].get<std::string>(), Catch::Contains("shorter period"));
}

TEST_CASE("Schwab's failures become clear tool errors", "[schwab][errors]") {
  ToolBench b;
  auto fail_with = [&](int status, Json body, Json headers = Json::array()) {
    b.schwab.route = [=](const std::string&, const std::string& path,
                         const Json&) -> std::optional<Json> {
      if (path.rfind("/marketdata/", 0) == 0 || path == "/trader/v1/orders")
        return response(status, body, headers);
      return std::nullopt;
    };
  };
  SECTION("401: invalid_token, and the broker token is invalidated") {
    fail_with(401, {{"errors",
                     {{{"id", "x"},
                       {"status", 401},
                       {"title", "Unauthorized"},
                       {"detail", "token expired"}}}}});
    Json r = b.call("getQuotes", {{"symbols", "AAPL"}});
    REQUIRE(is_error(r));
    CHECK_THAT(text_of(r), Catch::StartsWith("invalid_token: ") && Catch::Contains("HTTP 401") &&
                               Catch::Contains("Schwab correlation id corr-401") &&
                               Catch::Contains("token expired"));
    CHECK(b.broker.invalidated == std::vector<std::string>{"tok-1"});
  }
  SECTION("403: insufficient_scope") {
    fail_with(403, {{"message", "Forbidden"}});
    CHECK_THAT(text_of(b.call("getMovers", {{"symbol_id", "$DJI"}})),
               Catch::StartsWith("insufficient_scope: "));
  }
  SECTION("429: rate_limited after the retries, with Retry-After") {
    fail_with(429, {{"message", "Too Many Requests"}},
              Json::array({Json::array({"Retry-After", "1"})}));
    Json r = b.call("getQuotes", {{"symbols", "AAPL"}});
    CHECK_THAT(text_of(r),
               Catch::StartsWith("rate_limited: ") && Catch::Contains("try again in 1 s"));
    CHECK(b.host.http_log.size() == 3);
  }
  SECTION("500: server_error") {
    fail_with(500, {{"message", "Internal Server Error"}});
    CHECK_THAT(text_of(b.call("getQuotes", {{"symbols", "AAPL"}})),
               Catch::StartsWith("server_error: "));
  }
  SECTION("no answer: network_error") {
    b.schwab.route = [](const std::string&, const std::string&,
                        const Json&) -> std::optional<Json> {
      return Json{{"error", {{"code", "network"}, {"message", "connection reset"}}}};
    };
    CHECK_THAT(text_of(b.call("getQuotes", {{"symbols", "AAPL"}})),
               Catch::StartsWith("network_error: "));
  }
  SECTION("an error naming an account hash says its display name instead") {
    b.schwab.route = [](const std::string&, const std::string& path,
                        const Json&) -> std::optional<Json> {
      if (path.find("/orders/") == std::string::npos) return std::nullopt;
      return response(404,
                      {{"message", "Order not found"},
                       {"errors", {"No order 1 for account " + kHashB + " (" + kNumberB + ")"}}});
    };
    Json r = b.call("getOrder", {{"account", kNameB}, {"orderId", 1}});
    REQUIRE(is_error(r));
    CHECK_THAT(text_of(r), Catch::StartsWith("not_found: ") && Catch::Contains(kNameB));
    CHECK_FALSE(leaks(r));
  }
  SECTION("not signed in: invalid_token, nothing sent") {
    b.broker.status = brokers::AccessToken::Status::NotSignedIn;
    Json r = b.call("getAccounts");
    CHECK_THAT(text_of(r), Catch::StartsWith("invalid_token: "));
    CHECK(b.host.http_log.empty());
  }
  SECTION("failures are logged without identifiers or tokens") {
    fail_with(500, {{"message", "boom"}});
    b.call("getOrders");
    REQUIRE_FALSE(b.sink.lines.empty());
    bool said = false;
    for (const auto& line : b.sink.lines)
      said = said || line.find(R"("error":"server_error")") != std::string::npos;
    CHECK(said);
    for (const auto& line : b.sink.lines) {
      CHECK(line.find("tok-1") == std::string::npos);
      CHECK(line.find(kHashA) == std::string::npos);
    }
  }
}

TEST_CASE("account identities come from account numbers and preferences", "[schwab][accounts]") {
  auto ids = bmcp::schwab::account_identities(fixture("account_numbers.json"),
                                              fixture("user_preference.json"));
  REQUIRE(ids.size() == 3);
  CHECK(ids[0].account_number == kNumberA);
  CHECK(ids[0].hash_value == kHashA);
  CHECK(ids[0].type == "Individual");
  CHECK(ids[2].type == "Roth IRA");
  Json prefs = fixture("user_preference.json");
  prefs["accounts"][0].erase("nickName");
  CHECK(bmcp::schwab::account_identities(fixture("account_numbers.json"), prefs)[0].type ==
        "Brokerage");
  CHECK(bmcp::schwab::account_identities(Json::object(), prefs).empty());
}
