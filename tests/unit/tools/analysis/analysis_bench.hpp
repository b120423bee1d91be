// The analysis tools' test bench: a FakeHost with two people in D1, the analysis engine
// and catalog for one broker, scripted Schwab HTTP and DXLink sockets, and the client's
// outbound messages (progress notifications).
#pragma once

#include "unit/brokers/schwab/schwab_harness.hpp"

#include "brokers/tastytrade/tastytrade_api.hpp"
#include "market_data/candle_sources.hpp"
#include "market_data/option_sources.hpp"
#include "tools/analysis/analysis_tools.hpp"

#include <cmath>
#include <fstream>

namespace bmcp::testing::analysis_bench {

using namespace bmcp;
using bmcp::testing::schwab::FakeBrokerAccess;
using bmcp::testing::schwab::ScriptedOutbound;

inline const std::string kTastyBase = "https://tasty.test";
inline const std::string kSchwabBase = "https://schwab.test";

inline std::vector<std::string> recorded(const std::string& name) {
  std::ifstream in(std::string(BMCP_SOURCE_DIR) + "/tests/fixtures/dxlink/" + name);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

inline Json http_answer(int status, const Json& body) {
  return {{"status", status},
          {"headers", Json::array({Json::array({"Content-Type", "application/json"})})},
          {"body", dump_json(body)}};
}

// 300 daily candles of a gentle up-trend with a wobble.
inline Json schwab_history(const std::string& symbol) {
  Json candles = Json::array();
  for (int i = 0; i < 300; ++i) {
    const double c = 100 + i * 0.2 + 3 * std::sin(i / 5.0);
    candles.push_back({{"open", c - 0.5},
                       {"high", c + 1},
                       {"low", c - 1},
                       {"close", c},
                       {"volume", 1000000 + i},
                       {"datetime", 1'650'000'000'000LL + i * 86'400'000LL}});
  }
  return {{"symbol", symbol}, {"empty", false}, {"candles", candles}};
}

struct Bench {
  FakeHost host;
  FakeBrokerAccess broker;
  ScriptedOutbound outbound;
  mcp::Catalog catalog;
  std::shared_ptr<const analysis_runs::AnalysisEngine> engine;
  mcp::Principal principal;
  logging::NullLogSink sink;

  explicit Bench(const std::string& provider, const std::string& user = "u-1") {
    analysis_runs::MarketDataSettings settings;
    settings.schwab = bmcp::schwab::schwab_endpoint(Json{{"SCHWAB_API_BASE", kSchwabBase}});
    settings.tastytrade =
        bmcp::tastytrade::tastytrade_endpoint(Json{{"TASTYTRADE_API_BASE", kTastyBase}}, "test");
    logging::Logger log(sink, logging::LogLevel::kError);
    engine = std::make_shared<const analysis_runs::AnalysisEngine>(settings, broker, log);
    tools::add_analysis_tools(catalog, engine, provider);
    principal.user_id = user;
    principal.broker = provider;
    principal.authenticated = true;
    for (const char* u : {"u-1", "u-2"})
      host.sql(
          "INSERT INTO users (id, provider, external_id, created_at, updated_at) VALUES (?, ?, ?, "
          "0, 0)",
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

inline bool is_error(const Json& r) { return r.value("isError", false); }

}  // namespace bmcp::testing::analysis_bench
