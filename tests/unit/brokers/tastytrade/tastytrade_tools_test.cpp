// The tastytrade tools, resources and prompts end to end on the fake host: the quote cache
// against the fake clock, views, scrubbing, the order-safety flow for a multi-leg order,
// the positions snapshot, and two people who cannot see each other's data.
#include "tastytrade_harness.hpp"

#include "effects/host_api.hpp"

using namespace bmcp;
using namespace bmcp::testing::tasty;

TEST_CASE("get_quote: cached for 60 seconds by the clock, then fetched again", "[tastytrade]") {
  Bench b;
  Json args = {{"symbols", Json::array({"AAPL", "VIX"})}};
  Json r1 = b.call("get_quote", args);
  REQUIRE_FALSE(is_error(r1));
  CHECK(b.tasty.by_type_calls == 1);
  const Json& q = structured(r1)["quotes"];
  REQUIRE(q.size() == 2);
  CHECK(q[0]["symbol"] == "AAPL");
  CHECK(q[0]["bid"] == Approx(312.01));
  CHECK(q[0]["prevClose"] == Approx(309.35));
  CHECK(q[1]["instrumentType"] == "Index");
  CHECK(structured(r1)["fromCache"] == 0);
  // The request used tastytrade's by-type parameters.
  std::string url = b.host.http_log.back()["url"];
  CHECK(url.find("equity=AAPL") != std::string::npos);
  CHECK(url.find("index=VIX") != std::string::npos);

  b.host.advance(59'000);
  Json r2 = b.call("get_quote", args, &b.bob);  // another person: quotes are shared
  CHECK(b.tasty.by_type_calls == 1);
  CHECK(structured(r2)["fromCache"] == 2);

  b.host.advance(1'500);
  b.call("get_quote", args);
  CHECK(b.tasty.by_type_calls == 2);
  CHECK(b.host.kv_value("quote:tastytrade:equity:AAPL"));
}

TEST_CASE("get_positions never totals positions that carry no mark as zero", "[tastytrade]") {
  Bench b;
  b.tasty.route = [](const std::string&, const std::string& path,
                     const Json&) -> std::optional<Json> {
    if (path.find("/positions") == std::string::npos) return std::nullopt;
    Json unmarked = fixture("positions.json");
    for (Json& p : unmarked["data"]["items"]) p.erase("mark-price");
    return response(200, unmarked);
  };
  Json positions = b.call("get_positions");
  REQUIRE_FALSE(is_error(positions));
  const Json& totals = structured(positions)["totals"];
  CHECK(totals["marketValue"] == "unknown");
  CHECK(totals["dayPnl"] == "unknown");
  CHECK_THAT(totals["note"].get<std::string>(), Catch::Contains("positions have no mark"));
  CHECK_FALSE(structured(positions)["positions"][0].contains("marketValue"));
}

TEST_CASE("get_quote validates its input with a typed error", "[tastytrade]") {
  Bench b;
  Json none = {{"symbols", Json::array()}};
  Json r = b.call("get_quote", none);
  REQUIRE(is_error(r));
  CHECK(structured(r)["error"]["code"] == "VALIDATION_ERROR");
  CHECK(structured(r)["error"]["retryable"] == false);
  CHECK(b.tasty.by_type_calls == 0);
}

TEST_CASE("upstream faults become typed errors: 429 is RATE_LIMIT, retryable, with retry after",
          "[tastytrade]") {
  Bench b;
  int calls = 0;
  b.tasty.route = [&](const std::string&, const std::string& path,
                      const Json&) -> std::optional<Json> {
    if (path != "/market-metrics") return std::nullopt;
    ++calls;
    Json r = response(429, {{"error", {{"code", "too_many_requests"}, {"message", "Slow down"}}}});
    r["headers"].push_back(Json::array({"Retry-After", "30"}));
    return r;
  };
  Json args = {{"symbols", "AAPL"}};
  Json r = b.call("get_market_metrics", args);
  REQUIRE(is_error(r));
  const Json& e = structured(r)["error"];
  CHECK(e["code"] == "RATE_LIMIT");
  CHECK(e["status"] == 429);
  CHECK(e["retryable"] == true);
  CHECK(e["retryAfter"].get<int>() >= 1);
  CHECK(calls >= 1);
}

TEST_CASE("accounts, balances and positions are shown by display name only", "[tastytrade]") {
  Bench b;
  Json accounts = b.call("get_accounts");
  REQUIRE_FALSE(is_error(accounts));
  const Json& list = structured(accounts)["accounts"];
  REQUIRE(list.size() == 2);  // the closed account is left out
  std::string main = list[0]["account"];
  CHECK(main.find("...123") != std::string::npos);
  CHECK_FALSE(leaks(accounts));

  Json balances = b.call("get_balances", {{"account", main}});
  REQUIRE_FALSE(is_error(balances));
  CHECK(structured(balances)["balances"][0]["netLiquidatingValue"] == Approx(543557.677));
  CHECK(structured(balances)["balances"][0]["pendingCash"] == Approx(-12.5));
  CHECK_FALSE(leaks(balances));

  Json positions = b.call("get_positions");
  REQUIRE_FALSE(is_error(positions));
  const Json& ps = structured(positions)["positions"];
  REQUIRE(ps.size() == 2);
  CHECK(ps[0]["quantity"] == Approx(100));
  CHECK(ps[0]["dayPnl"] == Approx(150));  // (230 - 228.5) x 100
  CHECK(ps[0]["costBasis"] == Approx(20000));
  CHECK(ps[1]["quantity"] == Approx(-2));        // short
  CHECK(ps[1]["dayPnl"] == Approx(20));          // (4.00 - 4.10) x -2 x 100
  CHECK(ps[1]["unrealizedPnl"] == Approx(200));  // sold at 5.00, worth 4.00
  CHECK(ps[1]["account"] == main);
  CHECK(structured(positions)["totals"]["marketValue"] == Approx(23000 - 800));
  CHECK(structured(positions)["totals"]["dayPnl"] == Approx(170));
  CHECK_FALSE(leaks(positions));
  // The query asked for marks.
  bool marks = false;
  for (const auto& r : b.host.http_log)
    marks = marks || query_of(r).find("include-marks=true") != std::string::npos;
  CHECK(marks);

  // An account number is not accepted as input.
  Json by_number = b.call("get_balances", {{"account", kAliceMain}});
  REQUIRE(is_error(by_number));
  CHECK(structured(by_number)["error"]["code"] == "VALIDATION_ERROR");
  CHECK_FALSE(leaks(by_number));
}

TEST_CASE("transactions, orders, chain, metrics, search and market status", "[tastytrade]") {
  Bench b;
  std::string main = structured(b.call("get_accounts"))["accounts"][0]["account"];
  Json tx = b.call("get_transactions", {{"account", main},
                                        {"startDate", "2026-06-01"},
                                        {"types", Json::array({"Trade"})},
                                        {"perPage", 2}});
  REQUIRE_FALSE(is_error(tx));
  CHECK(structured(tx)["transactions"][0]["value"] == Approx(-75));
  CHECK(structured(tx)["transactions"][1]["value"] == Approx(100000));
  CHECK(structured(tx)["pagination"]["total"] == 5);
  CHECK(query_of(b.host.http_log.back()).find("types%5B%5D=Trade") != std::string::npos);
  CHECK_FALSE(leaks(tx));

  Json orders = b.call("get_orders");
  REQUIRE_FALSE(is_error(orders));
  const Json& o = structured(orders)["orders"][0];
  CHECK(o["price"] == Approx(-1.02));                               // a debit
  CHECK(o["updatedAt"].get<std::string>().rfind("2026-", 0) == 0);  // epoch ms -> ISO
  Json one = b.call("get_order", {{"account", main}, {"orderId", 1075264}});
  REQUIRE_FALSE(is_error(one));
  CHECK(structured(one)["order"]["status"] == "Live");
  CHECK_FALSE(leaks(one));

  Json chain = b.call("get_option_chain", {{"symbol", "AAPL"}, {"strikesAroundMoney", 1}});
  REQUIRE_FALSE(is_error(chain));
  const Json& exps = structured(chain)["chains"][0]["expirations"];
  REQUIRE(exps.size() == 2);
  REQUIRE(exps[0]["strikes"].size() == 3);  // 310 is nearest 312: 305, 310, 315
  CHECK(exps[0]["strikes"][1]["strike"] == Approx(310));
  Json ranged = b.call("get_option_chain", {{"symbol", "AAPL"}, {"expirationFrom", "2026-07-01"}});
  CHECK(structured(ranged)["chains"][0]["expirations"].size() == 1);

  Json metrics = b.call("get_market_metrics", {{"symbols", Json::array({"AAPL"})}});
  REQUIRE_FALSE(is_error(metrics));
  const Json& m = structured(metrics)["metrics"][0];
  CHECK(m["ivRank"] == Approx(42.73));
  CHECK(m["ivPercentile"] == Approx(33.08));
  CHECK(m["iv30"] == Approx(26.53));
  CHECK(m["hv30"] == Approx(33.89));
  CHECK(m["earningsDate"] == "2026-07-30");
  CHECK(m["exDividendDate"] == "2026-08-10");
  CHECK(structured(metrics)["scale"].get<std::string>().find("0-1") != std::string::npos);
  // liquidity-rank is not a fraction (real values run past 1): never shown as 151.63 percent.
  CHECK(m["liquidityRank"] == Approx(1.516322133));
  CHECK(m["liquidityRating"] == 4);
  CHECK(structured(metrics)["scale"].get<std::string>().find(
            "liquidityRank is tastytrade's own liquidity score") != std::string::npos);

  CHECK(structured(b.call("search_symbols", {{"query", "app"}}))["results"][0]["symbol"] == "AAPL");
  CHECK(structured(b.call("get_market_status"))["sessions"][0]["status"] == "Open");
}

TEST_CASE("a multi-leg order: dry-run preview with a token, then placed once with it",
          "[tastytrade]") {
  Bench b;
  std::string main = structured(b.call("get_accounts"))["accounts"][0]["account"];
  Json order = {{"time-in-force", "Day"},
                {"order-type", "Limit"},
                {"price", 1.25},
                {"price-effect", "Credit"},
                {"legs", Json::array({Json{{"instrument-type", "Equity Option"},
                                           {"symbol", "SPY   260116P00550000"},
                                           {"quantity", 1},
                                           {"action", "Sell to Open"}},
                                      Json{{"instrument-type", "Equity Option"},
                                           {"symbol", "SPY   260116P00545000"},
                                           {"quantity", 1},
                                           {"action", "Buy to Open"}}})}};
  Json preview = b.call("preview_order", {{"account", main}, {"order", order}});
  REQUIRE_FALSE(is_error(preview));
  const Json& p = structured(preview);
  REQUIRE(p.contains("confirmationToken"));
  CHECK_FALSE(leaks(preview));
  std::string text = dump_json(p);
  CHECK(text.find("credit") != std::string::npos);
  CHECK(b.tasty.placed == 0);
  // The dry run went to tastytrade with the price as a string decimal.
  const Json& dry = b.host.http_log.back();
  CHECK(path_of(dry).find("/orders/dry-run") != std::string::npos);
  CHECK(dry["body"].get<std::string>().find("\"price\":\"1.25\"") != std::string::npos);

  std::string token = p["confirmationToken"];
  // Bob cannot use alice's token, whatever account he names.
  Json stolen = b.call("place_order",
                       {{"account", main}, {"order", order}, {"confirmationToken", token}}, &b.bob);
  CHECK(is_error(stolen));
  CHECK(b.tasty.placed == 0);
  // A changed order does not match the token.
  Json changed = order;
  changed["price"] = 1.30;
  Json mismatch =
      b.call("place_order", {{"account", main}, {"order", changed}, {"confirmationToken", token}});
  CHECK(is_error(mismatch));
  CHECK(b.tasty.placed == 0);

  Json placed =
      b.call("place_order", {{"account", main}, {"order", order}, {"confirmationToken", token}});
  REQUIRE_FALSE(is_error(placed));
  CHECK(b.tasty.placed == 1);
  CHECK(dump_json(placed).find("2000001") != std::string::npos);
  CHECK_FALSE(leaks(placed));
  // Used once only.
  Json again =
      b.call("place_order", {{"account", main}, {"order", order}, {"confirmationToken", token}});
  CHECK(is_error(again));
  CHECK(b.tasty.placed == 1);
  // Journaled for alice, scrubbed.
  auto rows = b.host.sql("SELECT user_id, provider, request FROM order_journal");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["user_id"] == kAlice);
  CHECK(rows[0]["provider"] == "tastytrade");
  CHECK_FALSE(leaks(rows[0]));

  // Without a token and without elicitation nothing is sent: a preview comes back.
  Json cancel = b.call("cancel_order", {{"account", main}, {"orderId", 1075264}});
  REQUIRE_FALSE(is_error(cancel));
  CHECK(structured(cancel).contains("confirmationToken"));
  CHECK(b.tasty.cancelled == 0);
  std::string ctoken = structured(cancel)["confirmationToken"];
  Json cancelled = b.call("cancel_order",
                          {{"account", main}, {"orderId", 1075264}, {"confirmationToken", ctoken}});
  REQUIRE_FALSE(is_error(cancelled));
  CHECK(b.tasty.cancelled == 1);
}

TEST_CASE("portfolio://positions: fresh from tastytrade, then the stale snapshot when it is down",
          "[tastytrade]") {
  Bench b;
  Json fresh = b.read("portfolio://positions");
  REQUIRE(fresh.is_array());
  Json body = *parse_json(fresh[0]["text"].get<std::string>());
  CHECK(body["stale"] == false);
  CHECK(body["positions"].size() == 2);
  CHECK_FALSE(leaks(fresh));
  auto rows = b.host.sql("SELECT user_id FROM positions WHERE provider = 'tastytrade'");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["user_id"] == kAlice);

  b.tasty.down = true;
  b.host.advance(120'000);
  Json stale = b.read("portfolio://positions");
  Json s = *parse_json(stale[0]["text"].get<std::string>());
  CHECK(s["stale"] == true);
  CHECK(s["positions"].size() == 2);
  CHECK(s["asOf"].is_string());
  CHECK(s["ageSeconds"].get<int>() >= 120);

  // Bob has no snapshot of his own and never sees alice's.
  Json bobs = b.read("portfolio://positions", &b.bob);
  Json bs = *parse_json(bobs[0]["text"].get<std::string>());
  CHECK(bs["stale"] == true);
  CHECK(bs["positions"].empty());
}

TEST_CASE("two people: positions, analyses, caches, orders and tokens stay apart", "[tastytrade]") {
  Bench b;
  std::string alice_main = structured(b.call("get_accounts"))["accounts"][0]["account"];
  Json bob_accounts = b.call("get_accounts", Json::object(), &b.bob);
  std::string bob_main = structured(bob_accounts)["accounts"][0]["account"];
  CHECK(dump_json(bob_accounts).find("...123") == std::string::npos);

  // Bob naming alice's account gets no data of hers.
  for (const char* tool : {"get_positions", "get_balances", "get_orders", "get_transactions"}) {
    Json r = b.call(tool, {{"account", alice_main}}, &b.bob);
    if (alice_main != bob_main) CHECK(is_error(r));
    CHECK_FALSE(leaks(r));
    CHECK(dump_json(r).find("AAPL") == std::string::npos);
  }
  Json bob_pos = b.call("get_positions", Json::object(), &b.bob);
  CHECK(structured(bob_pos)["positions"].size() == 1);
  CHECK(structured(bob_pos)["positions"][0]["symbol"] == "TSLA");

  // Per-person caches carry the user id.
  CHECK(b.host.kv_value("user:" + kAlice + ":tastytrade:accounts"));
  CHECK(b.host.kv_value("user:" + kBob + ":tastytrade:accounts"));
  CHECK(b.host.kv_value("user:" + kAlice + ":tastytrade:accounts") !=
        b.host.kv_value("user:" + kBob + ":tastytrade:accounts"));

  // Analyses: each sees only their own.
  b.host.sql(
      "INSERT INTO analyses (id, user_id, kind, symbol, params, status, created_at) VALUES ('a1', "
      "?, 'chart', 'AAPL', '{}', 'complete', 1)",
      Json::array({kAlice}));
  b.host.sql(
      "INSERT INTO analyses (id, user_id, kind, symbol, params, status, created_at) VALUES ('b1', "
      "?, 'full', 'TSLA', '{}', 'running', 2)",
      Json::array({kBob}));
  Json a = *parse_json(b.read("history://analyses")[0]["text"].get<std::string>());
  Json bb = *parse_json(b.read("history://analyses", &b.bob)[0]["text"].get<std::string>());
  REQUIRE(a["analyses"].size() == 1);
  CHECK(a["analyses"][0]["symbol"] == "AAPL");
  REQUIRE(bb["analyses"].size() == 1);
  CHECK(bb["analyses"][0]["symbol"] == "TSLA");
}

TEST_CASE("history://analyses: newest first, at most 20", "[tastytrade]") {
  Bench b;
  for (int i = 0; i < 25; ++i)
    b.host.sql(
        "INSERT INTO analyses (id, user_id, kind, symbol, params, status, result, created_at) "
        "VALUES (?, ?, 'chart', 'SPY', '{\"t\":1}', 'complete', '{\"ok\":true}', ?)",
        Json::array({"x" + std::to_string(i), kAlice, 1000 + i}));
  Json a = *parse_json(b.read("history://analyses")[0]["text"].get<std::string>());
  REQUIRE(a["analyses"].size() == 20);
  CHECK(a["analyses"][0]["id"] == "x24");
  CHECK(a["analyses"][0]["result"]["ok"] == true);
}

TEST_CASE("knowledge documents come from R2, listed directly and through the template",
          "[tastytrade]") {
  Bench b;
  b.host.r2["knowledge/options/strategies.md"] = {"# Options strategies", "text/markdown"};
  b.host.r2["knowledge/risk/position-sizing.md"] = {"# Position sizing", "text/markdown"};
  Json s = b.read("knowledge://options/strategies");
  REQUIRE(s.is_array());
  CHECK(s[0]["text"] == "# Options strategies");
  CHECK(s[0]["mimeType"] == "text/markdown");
  Json t = b.read("knowledge://risk/position-sizing");
  REQUIRE(t.is_array());
  CHECK(t[0]["text"] == "# Position sizing");
  CHECK(b.read("knowledge://options/missing").is_null());
  CHECK(b.read("knowledge://..%2F/x").is_null());
  bool listed = false;
  for (const auto& r : b.catalog.resources)
    listed = listed || r.uri == "knowledge://options/strategies";
  CHECK(listed);
  REQUIRE(b.catalog.resource_templates.size() == 1);
  CHECK(b.catalog.resource_templates[0].complete("category", "op") ==
        std::vector<std::string>{"options"});
}

TEST_CASE("knowledge files in the repository cover every listed document", "[tastytrade]") {
  for (const auto& d : resources::knowledge_docs()) {
    std::ifstream in(std::string(BMCP_SOURCE_DIR) + "/" +
                     resources::knowledge_key(d.category, d.topic));
    CHECK(in.good());
  }
}

TEST_CASE("prompts render with the broker's tool names and their arguments", "[tastytrade]") {
  Bench b;
  for (const char* name : {"review_portfolio_risk", "find_cash_secured_puts", "explain_position",
                           "plan_covered_calls"})
    CHECK(b.catalog.find_prompt(name) != nullptr);
  Json csp =
      b.prompt("find_cash_secured_puts", {{"symbols", "AAPL,MSFT"}, {"max_capital", "20000"}});
  std::string text = csp["messages"][0]["content"]["text"];
  CHECK(text.find("AAPL,MSFT") != std::string::npos);
  CHECK(text.find("get_market_metrics") != std::string::npos);
  CHECK(text.find("20000") != std::string::npos);
  CHECK(csp["messages"][0]["role"] == "user");

  mcp::Catalog schwab;
  prompts::add_prompts(schwab, "schwab");
  const mcp::PromptDefinition* risk = schwab.find_prompt("review_portfolio_risk");
  REQUIRE(risk != nullptr);
  Json r = b.host.run([risk, p = &b.alice, out = &b.outbound](Io& io) {
    return Bench::get_prompt(io, risk, {{"account", "Individual-...123"}}, p, out);
  });
  std::string rt = r["messages"][0]["content"]["text"];
  CHECK(rt.find("getAccountPositions") != std::string::npos);
  CHECK(rt.find("get_market_metrics") == std::string::npos);
  CHECK(rt.find("Individual-...123") != std::string::npos);
}

TEST_CASE("the tastytrade tools are listed with compact schemas", "[tastytrade]") {
  Bench b;
  for (const char* name :
       {"get_quote", "get_accounts", "get_balances", "get_positions", "get_transactions",
        "get_orders", "get_order", "get_option_chain", "get_market_metrics", "search_symbols",
        "get_market_status", "preview_order", "place_order", "replace_order", "cancel_order"}) {
    const mcp::ToolDefinition* t = b.catalog.find_tool(name);
    REQUIRE(t != nullptr);
    CHECK(t->input_schema["type"] == "object");
  }
  CHECK(b.catalog.find_tool("place_order")->annotations.destructive == std::optional<bool>(true));
  CHECK(b.catalog.find_tool("get_quote")->annotations.read_only == std::optional<bool>(true));
}

TEST_CASE("replace_order: the replacement dry run gives the token, the PUT carries no legs",
          "[tastytrade]") {
  Bench b;
  std::string main = structured(b.call("get_accounts"))["accounts"][0]["account"];
  Json change = {{"time-in-force", "Day"},
                 {"order-type", "Limit"},
                 {"price", "1.05"},
                 {"price-effect", "Debit"}};
  Json preview =
      b.call("preview_order", {{"account", main}, {"orderId", 1075264}, {"order", change}});
  REQUIRE_FALSE(is_error(preview));
  CHECK(path_of(b.host.http_log.back()) == "/accounts/" + kAliceMain + "/orders/1075264/dry-run");
  std::string token = structured(preview)["confirmationToken"];
  Json replaced = b.call(
      "replace_order",
      {{"account", main}, {"orderId", 1075264}, {"order", change}, {"confirmationToken", token}});
  REQUIRE_FALSE(is_error(replaced));
  const Json& put = b.host.http_log.back();
  CHECK(put["method"] == "PUT");
  CHECK(put["body"].get<std::string>().find("legs") == std::string::npos);
  CHECK(structured(replaced)["replacedOrderId"] == "1075264");
  CHECK_FALSE(leaks(replaced));
}

TEST_CASE("read-only deployments list no mutating tools and issue no tokens", "[tastytrade]") {
  Bench b(false);
  CHECK(b.catalog.find_tool("place_order") == nullptr);
  CHECK(b.catalog.find_tool("replace_order") == nullptr);
  CHECK(b.catalog.find_tool("cancel_order") == nullptr);
  std::string main = structured(b.call("get_accounts"))["accounts"][0]["account"];
  Json order = {{"time-in-force", "Day"},
                {"order-type", "Market"},
                {"legs", Json::array({Json{{"instrument-type", "Equity"},
                                           {"symbol", "AAPL"},
                                           {"quantity", 1},
                                           {"action", "Buy to Open"}}})}};
  Json preview = b.call("preview_order", {{"account", main}, {"order", order}});
  REQUIRE_FALSE(is_error(preview));
  CHECK_FALSE(structured(preview).contains("confirmationToken"));
  CHECK(structured(preview)["status"] == "preview_only");
}
