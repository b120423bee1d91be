// analyze_chart and get_workflow_status for both brokers, on the FakeHost: Schwab price
// history over HTTP, tastytrade candles over a scripted DXLink socket replaying the
// recorded sandbox frames; progress notifications; the run recorded in D1 `analyses`
// and readable only by its owner.
#include "unit/schwab/schwab_harness.hpp"

#include "market_data/candle_sources.hpp"
#include "tools/analysis/analysis_tools.hpp"

#include <cmath>

using namespace bmcp;
using namespace bmcp::testing;
using bmcp::testing::schwab::FakeBrokerAccess;
using bmcp::testing::schwab::ScriptedOutbound;

namespace {

const std::string kTastyBase = "https://tasty.test";
const std::string kSchwabBase = "https://schwab.test";

std::vector<std::string> recorded(const std::string& name) {
  std::ifstream in(std::string(BMCP_SOURCE_DIR) + "/tests/unit/market_data/fixtures/" + name);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

Json http_answer(int status, const Json& body) {
  return {{"status", status},
          {"headers", Json::array({Json::array({"Content-Type", "application/json"})})},
          {"body", dump_json(body)}};
}

// 300 daily candles of a gentle up-trend with a wobble.
Json schwab_history(const std::string& symbol) {
  Json candles = Json::array();
  for (int i = 0; i < 300; ++i) {
    const double c = 100 + i * 0.2 + 3 * std::sin(i / 5.0);
    candles.push_back({{"open", c - 0.5}, {"high", c + 1}, {"low", c - 1}, {"close", c},
                       {"volume", 1000000 + i}, {"datetime", 1'650'000'000'000LL + i * 86'400'000LL}});
  }
  return {{"symbol", symbol}, {"empty", false}, {"candles", candles}};
}

struct Bench {
  FakeHost host;
  FakeBrokerAccess broker;
  ScriptedOutbound outbound;
  mcp::Catalog catalog;
  mcp::Principal principal;
  logging::NullLogSink sink;

  explicit Bench(const std::string& provider, const std::string& user = "u-1") {
    app::Config config;
    config.raw = {{"SCHWAB_API_BASE", kSchwabBase}, {"TASTYTRADE_API_BASE", kTastyBase}};
    logging::Logger log(sink, logging::LogLevel::kError);
    tools::add_analysis_tools(catalog, config, broker, log, provider);
    principal.user_id = user;
    principal.broker = provider;
    principal.authenticated = true;
    for (const char* u : {"u-1", "u-2"})
      host.sql("INSERT INTO users (id, provider, external_id, created_at, updated_at) VALUES (?, ?, ?, 0, 0)",
               Json::array({u, provider, std::string("ext-") + u}));
  }

  Json call(const std::string& name, Json args) {
    const mcp::ToolDefinition* t = catalog.find_tool(name);
    REQUIRE(t != nullptr);
    mcp::Principal* p = &principal;
    mcp::Outbound* out = &outbound;
    return host.run([t, args, p, out](Io& io) { return run_tool(io, t, args, p, out); });
  }
  static Task<Json> run_tool(Io& io, const mcp::ToolDefinition* t, Json args, mcp::Principal* p,
                             mcp::Outbound* out) {
    mcp::RequestContext ctx(io, *p, *out, "2025-11-25", Json::object(), Json("prog-1"), "info");
    mcp::ToolResult r = co_await t->handler(ctx, args);
    co_return r.to_json();
  }
  std::vector<Json> progress() const {
    std::vector<Json> out;
    for (const Json& m : outbound.sent)
      if (m.value("method", "") == "notifications/progress") out.push_back(m["params"]);
    return out;
  }
};

bool is_error(const Json& r) { return r.value("isError", false); }

}  // namespace

TEST_CASE("timeframes map to broker requests", "[market_data][analysis_tools]") {
  using market_data::Timeframe;
  CHECK(market_data::parse_timeframe("weekly") == Timeframe::kWeekly);
  CHECK_FALSE(market_data::parse_timeframe("monthly"));
  CHECK(market_data::schwab_price_history_query("BRK.B", Timeframe::kDaily) ==
        "symbol=BRK.B&periodType=year&period=2&frequencyType=daily&frequency=1&needExtendedHoursData=false");
  CHECK(market_data::dxlink_candle_symbol("AAPL", Timeframe::kIntraday) == "AAPL{=15m,tho=true}");
  const auto parsed = market_data::parse_schwab_price_history(
      Json{{"candles", Json::array({Json{{"open", 1}, {"high", 2}, {"low", 0.5}, {"close", 1.5}, {"volume", 10}, {"datetime", 5}},
                                    Json{{"close", 1}}, Json("x")})}});
  REQUIRE(parsed.ok);
  CHECK(parsed.candles.size() == 1);
  CHECK(parsed.skipped == 2);
  CHECK(market_data::parse_schwab_price_history(Json{{"empty", true}, {"symbol", "X"}}).ok);
  CHECK_FALSE(market_data::parse_schwab_price_history(Json::array()).ok);
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
  CHECK(urls[0].rfind(kSchwabBase + "/marketdata/v1/pricehistory?symbol=AAPL&periodType=year", 0) == 0);

  const auto notes = b.progress();
  REQUIRE(notes.size() == 4);
  for (std::size_t i = 0; i < notes.size(); ++i) {
    CHECK(notes[i]["progressToken"] == "prog-1");
    CHECK(notes[i]["progress"] == static_cast<double>(i));
    CHECK(notes[i]["total"] == 3.0);
  }

  const std::string id = s["analysisId"].get<std::string>();
  const auto rows = b.host.sql("SELECT user_id, kind, symbol, status, result, error FROM analyses WHERE id = ?", Json::array({id}));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["user_id"] == "u-1");
  CHECK(rows[0]["kind"] == "chart");
  CHECK(rows[0]["status"] == "complete");
  CHECK(rows[0]["error"].is_null());
  CHECK(parse_json(rows[0]["result"].get<std::string>()).value_or(Json())["chart"]["candle_count"] == 300);

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

TEST_CASE("analyze_chart records a failure, never a partial result", "[market_data][analysis_tools]") {
  Bench b("schwab");
  b.host.http = [&](const Json&) { return http_answer(400, Json{{"errors", Json::array({Json{{"detail", "Invalid symbol"}}})}}); };
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
    return http_answer(200, Json{{"data", {{"token", "qt-1"}, {"dxlink-url", "ws://dx.test/dxlink"}}}});
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
  CHECK(b.progress().size() == 4);
  CHECK(b.host.sql("SELECT status FROM analyses")[0]["status"] == "complete");
  REQUIRE(b.host.sockets.size() == 1);
  CHECK(b.host.sockets[0]->url == "ws://dx.test/dxlink");
  CHECK(b.host.sockets[0]->closed);
}

TEST_CASE("analyze_chart with tastytrade: refused upgrade", "[market_data][analysis_tools]") {
  Bench b("tastytrade");
  b.host.http = [&](const Json&) {
    return http_answer(200, Json{{"data", {{"token", "qt-1"}, {"dxlink-url", "ws://dx.test/dxlink"}}}});
  };
  const Json r = b.call("analyze_chart", {{"symbol", "AAPL"}});
  CHECK(is_error(r));
  const auto rows = b.host.sql("SELECT status FROM analyses");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["status"] == "failed");
}
