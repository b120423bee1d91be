// analyze_chart and get_workflow_status for both brokers, on the FakeHost: Schwab price
// history over HTTP, tastytrade candles over a scripted DXLink socket replaying the
// recorded sandbox frames; progress notifications; the run recorded in D1 `analyses`
// and readable only by its owner.
#include "unit/tools/analysis/analysis_bench.hpp"

#include <cmath>

using namespace bmcp;
using namespace bmcp::testing;
using namespace bmcp::testing::analysis_bench;

TEST_CASE("timeframes map to broker requests", "[market_data][analysis_tools]") {
  using market_data::Timeframe;
  CHECK(market_data::parse_timeframe("weekly") == Timeframe::kWeekly);
  CHECK_FALSE(market_data::parse_timeframe("monthly"));
  CHECK(market_data::schwab_price_history_query("BRK.B", Timeframe::kDaily) ==
        "symbol=BRK.B&periodType=year&period=2&frequencyType=daily&frequency=1&"
        "needExtendedHoursData=false");
  CHECK(market_data::dxlink_candle_symbol("AAPL", Timeframe::kIntraday) == "AAPL{=15m,tho=true}");
  const auto parsed = market_data::parse_schwab_price_history(
      Json{{"candles", Json::array({Json{{"open", 1},
                                         {"high", 2},
                                         {"low", 0.5},
                                         {"close", 1.5},
                                         {"volume", 10},
                                         {"datetime", 5}},
                                    Json{{"close", 1}}, Json("x")})}});
  REQUIRE(parsed.ok());
  CHECK(parsed.value().candles.size() == 1);
  CHECK(parsed.value().skipped == 2);
  CHECK(market_data::parse_schwab_price_history(Json{{"empty", true}, {"symbol", "X"}}).ok());
  CHECK_FALSE(market_data::parse_schwab_price_history(Json::array()).ok());
}

TEST_CASE("analyze_chart with Schwab price history", "[market_data][analysis_tools]") {
  Bench b("schwab");
  std::vector<std::string> urls;
  b.host.http = [&](const Json& req) {
    urls.push_back(req.value("url", ""));
    return http_answer(200, schwab_history("AAPL"));
  };
  const Json r = b.call("analyze_chart", {{"symbol", "aapl"}, {"timeframe", "daily"}});
  REQUIRE_FALSE(is_error(r));
  const Json& s = r["structuredContent"];
  CHECK(s["status"] == "complete");
  CHECK(s["symbol"] == "AAPL");
  CHECK(s["broker"] == "schwab");
  CHECK(s["chart"]["candle_count"] == 300);
  CHECK(s["chart"].contains("sma200"));
  CHECK(s["chart"]["trend"] == "up");
  REQUIRE(urls.size() == 1);
  CHECK(urls[0].rfind(kSchwabBase + "/marketdata/v1/pricehistory?symbol=AAPL&periodType=year", 0) ==
        0);

  const auto notes = b.progress();
  REQUIRE(notes.size() == 5);
  for (std::size_t i = 0; i < notes.size(); ++i) {
    CHECK(notes[i]["progressToken"] == "prog-1");
    CHECK(notes[i]["progress"] == static_cast<double>(i));
    CHECK(notes[i]["total"] == 4.0);
  }

  const std::string id = s["analysisId"].get<std::string>();
  const auto rows =
      b.host.sql("SELECT user_id, kind, symbol, status, result, error FROM analyses WHERE id = ?",
                 Json::array({id}));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["user_id"] == "u-1");
  CHECK(rows[0]["kind"] == "chart");
  CHECK(rows[0]["status"] == "complete");
  CHECK(rows[0]["error"].is_null());
  CHECK(
      parse_json(rows[0]["result"].get<std::string>()).value_or(Json())["chart"]["candle_count"] ==
      300);

  const Json st = b.call("get_workflow_status", {{"workflowId", id}});
  REQUIRE_FALSE(is_error(st));
  CHECK(st["structuredContent"]["status"] == "complete");
  CHECK(st["structuredContent"]["progress"] == 1.0);
  CHECK(st["structuredContent"]["result"]["analysisId"] == id);

  b.principal.user_id = "u-2";  // someone else cannot read it
  const Json other = b.call("get_workflow_status", {{"workflowId", id}});
  CHECK(is_error(other));
  CHECK(other["content"][0]["text"].get<std::string>().find("not_found") == 0);
}

TEST_CASE("analyze_chart records a failure, never a partial result",
          "[market_data][analysis_tools]") {
  Bench b("schwab");
  b.host.http = [&](const Json&) {
    return http_answer(400, Json{{"errors", Json::array({Json{{"detail", "Invalid symbol"}}})}});
  };
  const Json r = b.call("analyze_chart", {{"symbol", "ZZZZ"}});
  CHECK(is_error(r));
  const auto rows = b.host.sql("SELECT status, result, error FROM analyses");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["status"] == "failed");
  CHECK(rows[0]["result"].is_null());
  CHECK(rows[0]["error"].get<std::string>().find("Invalid symbol") != std::string::npos);

  CHECK(is_error(b.call("analyze_chart", {{"symbol", "AA PL"}})));
  CHECK(is_error(b.call("analyze_chart", {{"symbol", "AAPL"}, {"timeframe", "yearly"}})));
}

TEST_CASE("analyze_chart with tastytrade DXLink candles", "[market_data][analysis_tools]") {
  Bench b("tastytrade");
  b.host.http = [&](const Json& req) {
    CHECK(req.value("url", "") == kTastyBase + "/api-quote-tokens");
    return http_answer(200,
                       Json{{"data", {{"token", "qt-1"}, {"dxlink-url", "ws://dx.test/dxlink"}}}});
  };
  const auto frames = recorded("dxlink_history_aapl_daily.jsonl");
  b.host.ws_connect = [&](const std::string&) {
    auto s = std::make_shared<FakeHost::ScriptedSocket>();
    s->on_send = [&frames](const std::string& sent) -> std::vector<std::string> {
      const Json m = parse_json(sent).value_or(Json());
      const std::string type = m.value("type", "");
      if (type == "SETUP") return {frames[0], frames[1]};
      if (type == "AUTH") {
        CHECK(m["token"] == "qt-1");
        return {frames[2]};
      }
      if (type == "CHANNEL_REQUEST") return {frames[3]};
      if (type == "FEED_SUBSCRIPTION") {
        CHECK(m["add"][0]["symbol"] == "AAPL{=d}");
        return {frames[4], frames[5], frames[6]};
      }
      return {};
    };
    return s;
  };
  const Json r = b.call("analyze_chart", {{"symbol", "AAPL"}});
  REQUIRE_FALSE(is_error(r));
  const Json& s = r["structuredContent"];
  CHECK(s["broker"] == "tastytrade");
  CHECK(s["chart"]["candle_count"] == 276);
  CHECK(s["chart"]["last_close"] == Approx(250.3793));
  CHECK(s["source"].get<std::string>().find("DXLink") != std::string::npos);
  CHECK(b.progress().size() == 5);
  CHECK(b.host.sql("SELECT status FROM analyses")[0]["status"] == "complete");
  REQUIRE(b.host.sockets.size() == 1);
  CHECK(b.host.sockets[0]->url == "ws://dx.test/dxlink");
  CHECK(b.host.sockets[0]->closed);
}

TEST_CASE("analyze_chart with tastytrade: refused upgrade", "[market_data][analysis_tools]") {
  Bench b("tastytrade");
  b.host.http = [&](const Json&) {
    return http_answer(200,
                       Json{{"data", {{"token", "qt-1"}, {"dxlink-url", "ws://dx.test/dxlink"}}}});
  };
  const Json r = b.call("analyze_chart", {{"symbol", "AAPL"}});
  CHECK(is_error(r));
  const auto rows = b.host.sql("SELECT status FROM analyses");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["status"] == "failed");
}

namespace {

Json schwab_put(double strike, double delta, double bid, double ask, long oi) {
  return Json::array(
      {Json{{"putCall", "PUT"},
            {"symbol", "AAPL  231214P000" + std::to_string(static_cast<int>(strike)) + "000"},
            {"bid", bid},
            {"ask", ask},
            {"mark", (bid + ask) / 2},
            {"volatility", 25.0},
            {"delta", delta},
            {"gamma", 0.05},
            {"theta", -0.03},
            {"vega", 0.1},
            {"openInterest", oi},
            {"totalVolume", 100},
            {"strikePrice", strike},
            {"daysToExpiration", 30},
            {"expirationDate", "2023-12-14T21:00:00.000+00:00"}}});
}

Json schwab_chain() {
  Json strikes = {{"95.0", schwab_put(95, -0.25, 1.00, 1.10, 500)},
                  {"90.0", schwab_put(90, -0.10, 0.30, 0.35, 500)},
                  {"96.0", schwab_put(96, -999.0, 1.20, 1.30, 500)}};
  return {{"symbol", "AAPL"},
          {"status", "SUCCESS"},
          {"underlyingPrice", 100.0},
          {"interestRate", 4.5},
          {"dividendYield", 0.5},
          {"volatility", 24.0},
          {"putExpDateMap", {{"2023-12-14:30", strikes}}}};
}

void script_dxlink(Bench& b, const std::vector<std::string>& frames) {
  b.host.ws_connect = [&frames](const std::string&) {
    auto s = std::make_shared<FakeHost::ScriptedSocket>();
    s->on_send = [&frames](const std::string& sent) -> std::vector<std::string> {
      const std::string type = parse_json(sent).value_or(Json()).value("type", "");
      if (type == "SETUP") return {frames[0], frames[1]};
      if (type == "AUTH") return {frames[2]};
      if (type == "CHANNEL_REQUEST") return {frames[3]};
      if (type == "FEED_SUBSCRIPTION") return {frames[4], frames[5], frames[6]};
      return {};
    };
    return s;
  };
}

}  // namespace

TEST_CASE("option sources parse each broker's chain and metrics", "[market_data][analysis_tools]") {
  const auto parsed = market_data::parse_schwab_chain(schwab_chain());
  REQUIRE(parsed.ok());
  const market_data::SchwabChain& chain = parsed.value();
  REQUIRE(chain.quotes.size() == 3);
  CHECK(chain.facts.underlying_price == Approx(100));
  CHECK(*chain.facts.rate == Approx(0.045));
  CHECK(*chain.facts.dividend_yield == Approx(0.005));
  for (const auto& q : chain.quotes) {
    CHECK(q.expiration == "2023-12-14");
    CHECK(q.dte == 30);
    CHECK(q.iv == Approx(0.25));
    if (q.strike == 96) CHECK_FALSE(q.delta);  // -999 is "none"
  }
  CHECK_FALSE(market_data::parse_schwab_chain(Json{{"status", "FAILED"}}).ok());

  market_data::MarketFacts facts;
  const Json quotes = {{"AAPL",
                        {{"fundamental",
                          {{"divExDate", "2023-11-10T00:00:00Z"},
                           {"nextDivExDate", "2024-02-09T00:00:00Z"},
                           {"divPayAmount", 0.24}}}}}};
  market_data::add_schwab_fundamentals(quotes, "AAPL", "2023-11-14", facts);
  CHECK(facts.ex_dividend_date == "2024-02-09");
  CHECK(*facts.dividend_amount == Approx(0.24));
}

TEST_CASE("run_full_analysis with Schwab: cash-secured puts", "[market_data][analysis_tools]") {
  Bench b("schwab");
  std::vector<std::string> paths;
  b.host.http = [&](const Json& req) {
    std::string url = req.value("url", "");
    paths.push_back(url.substr(kSchwabBase.size(), url.find('?') - kSchwabBase.size()));
    if (url.find("/pricehistory") != std::string::npos)
      return http_answer(200, schwab_history("AAPL"));
    if (url.find("/chains") != std::string::npos) {
      CHECK(url.find("contractType=PUT") != std::string::npos);
      CHECK(url.find("fromDate=2023-12-05") != std::string::npos);  // now + 21 days
      return http_answer(200, schwab_chain());
    }
    return http_answer(
        200, Json{{"AAPL", {{"fundamental", {{"nextDivExDate", "2024-02-09T00:00:00Z"}}}}}});
  };
  const Json r = b.call("run_full_analysis", {{"symbol", "AAPL"}, {"strategy", "csp"}});
  REQUIRE_FALSE(is_error(r));
  const Json& s = r["structuredContent"];
  CHECK(paths == std::vector<std::string>{"/marketdata/v1/pricehistory", "/marketdata/v1/chains",
                                          "/marketdata/v1/quotes"});
  const Json& cands = s["ranking"]["candidates"];
  REQUIRE(cands.size() == 2);  // 95 (broker delta -0.25) and 96 (no broker delta: Black-Scholes)
  for (const Json& c : cands) {
    if (c["put"]["strike"] == 95.0) CHECK(c["put"]["greeks_source"] == "broker");
    else CHECK(c["put"]["greeks_source"] == "black_scholes");
  }
  CHECK(s["ranking"]["report"]["outside_delta"] == 1);  // the 90 put, delta -0.10
  CHECK(s["market"]["earnings_date"] == "unknown");
  CHECK(s["market"]["ex_dividend_date"] == "2024-02-09");
  CHECK(s["filters"]["min_dte"] == 21);
  CHECK(s["chart"]["candle_count"] == 300);
  CHECK(b.progress().size() == 6);
  CHECK(b.host.sql("SELECT kind, status FROM analyses")[0]["kind"] == "full");

  // Overridden filters are applied and reported.
  const Json wide =
      b.call("run_full_analysis",
             {{"symbol", "AAPL"}, {"strategy", "csp"}, {"minDelta", 0.05}, {"maxResults", 5}});
  REQUIRE_FALSE(is_error(wide));
  CHECK(wide["structuredContent"]["ranking"]["candidates"].size() == 3);
  CHECK(wide["structuredContent"]["filters"]["min_abs_delta"] == 0.05);
  CHECK(is_error(
      b.call("run_full_analysis", {{"symbol", "AAPL"}, {"strategy", "csp"}, {"minDte", 50}})));
}

TEST_CASE("run_full_analysis with tastytrade: Black-Scholes greeks from expiration IV",
          "[market_data][analysis_tools]") {
  Bench b("tastytrade");
  const auto frames = recorded("dxlink_history_aapl_daily.jsonl");
  script_dxlink(b, frames);
  b.host.http = [&](const Json& req) {
    const std::string url = req.value("url", "");
    if (url.find("/api-quote-tokens") != std::string::npos)
      return http_answer(
          200, Json{{"data", {{"token", "qt-1"}, {"dxlink-url", "ws://dx.test/dxlink"}}}});
    if (url.find("/market-metrics") != std::string::npos)
      return http_answer(
          200,
          Json{{"data",
                {{"items",
                  Json::array({Json{{"symbol", "AAPL"},
                                    {"implied-volatility-index", "0.24"},
                                    {"implied-volatility-index-rank", "0.3"},
                                    {"implied-volatility-percentile", "0.4"},
                                    {"dividend-next-date", "2024-02-09"},
                                    {"earnings", {{"expected-report-date", "2024-02-01"}}},
                                    {"option-expiration-implied-volatilities",
                                     Json::array({Json{{"expiration-date", "2023-12-14"},
                                                       {"implied-volatility", "0.25"}}})}}})}}}});
    if (url.find("/option-chains/AAPL/nested") != std::string::npos)
      return http_answer(
          200,
          Json{{"data",
                {{"items",
                  Json::array({Json{
                      {"option-chain-type", "Standard"},
                      {"expirations",
                       Json::array({Json{{"expiration-date", "2023-12-14"},
                                         {"days-to-expiration", 30},
                                         {"strikes",
                                          Json::array({Json{{"strike-price", "95.0"},
                                                            {"put", "AAPL  231214P00095000"},
                                                            {"call", "AAPL  231214C00095000"}},
                                                       Json{{"strike-price", "90.0"},
                                                            {"put", "AAPL  231214P00090000"},
                                                            {"call", "AAPL  231214C00090000"}}})}},
                                    Json{{"expiration-date", "2024-06-21"},
                                         {"days-to-expiration", 220},
                                         {"strikes", Json::array()}}})}}})}}}});
    if (url.find("/market-data/by-type") != std::string::npos) {
      CHECK(url.find("equity=AAPL") != std::string::npos);
      CHECK(url.find("231214C") == std::string::npos);  // puts only
      return http_answer(200,
                         Json{{"data",
                               {{"items", Json::array({Json{{"symbol", "AAPL"}, {"mark", "100.0"}},
                                                       Json{{"symbol", "AAPL  231214P00095000"},
                                                            {"bid", "1.00"},
                                                            {"ask", "1.10"},
                                                            {"mark", "1.05"},
                                                            {"open-interest", "800.0"},
                                                            {"volume", "50.0"}},
                                                       Json{{"symbol", "AAPL  231214P00090000"},
                                                            {"bid", "0.30"},
                                                            {"ask", "0.35"},
                                                            {"mark", "0.33"},
                                                            {"open-interest", "800.0"}}})}}}});
    }
    return http_answer(404, Json{{"error", {{"message", "no route"}}}});
  };
  const Json r = b.call("run_full_analysis", {{"symbol", "AAPL"}, {"strategy", "spread"}});
  REQUIRE_FALSE(is_error(r));
  const Json& s = r["structuredContent"];
  CHECK(s["market"]["iv_rank"] == Approx(0.3));
  CHECK(s["market"]["earnings_date"] == "2024-02-01");
  CHECK(s["spreadType"] == "bull put");
  const Json& cands = s["ranking"]["candidates"];
  REQUIRE(cands.size() == 1);
  CHECK(cands[0]["short_leg"]["strike"] == 95.0);
  CHECK(cands[0]["long_leg"]["strike"] == 90.0);
  CHECK(cands[0]["short_leg"]["greeks_source"] == "black_scholes");
  CHECK(s["chart"]["candle_count"] == 276);
}

TEST_CASE("the analysis tools are listed with their schemas", "[market_data][analysis_tools]") {
  for (const char* provider : {"schwab", "tastytrade"}) {
    Bench b(provider);
    for (const char* name : {"analyze_chart", "run_full_analysis", "get_workflow_status"}) {
      const mcp::ToolDefinition* t = b.catalog.find_tool(name);
      REQUIRE(t != nullptr);
      CHECK(t->input_schema["type"] == "object");
      CHECK(t->input_schema["properties"].is_object());
      CHECK(t->input_schema["additionalProperties"] == false);
      CHECK(t->output_schema["required"].is_array());
    }
    CHECK(
        b.catalog.find_tool("run_full_analysis")->input_schema["properties"]["minDte"]["default"] ==
        21);
    CHECK(b.catalog.find_tool("analyze_chart")->input_schema["properties"]["symbol"]["maxLength"] ==
          24);
  }
}
