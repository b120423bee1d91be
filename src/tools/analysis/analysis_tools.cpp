#include "tools/analysis/analysis_tools.hpp"

#include "analysis/analysis_json.hpp"
#include "analysis/chart_summary.hpp"
#include "brokers/upstream/upstream_client.hpp"
#include "crypto/hex.hpp"
#include "effects/host_api.hpp"
#include "market_data/candle_sources.hpp"
#include "tools/analysis/analysis_runs.hpp"

#include <memory>

namespace bmcp::tools {
namespace {

using market_data::Timeframe;

std::string tastytrade_error_message(const Json& body) {
  if (const Json* e = find_member(body, "error"); e && e->is_object())
    return get_string(*e, "message").value_or(get_string(*e, "code").value_or(""));
  return get_string(body, "error_description").value_or("");
}

std::string base_url(const app::Config& config, const char* var, const char* fallback) {
  std::string base = get_string(config.raw, var).value_or("");
  if (base.empty()) base = fallback;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

upstream::Endpoint schwab_market_endpoint(const app::Config& config) {
  upstream::Endpoint ep;
  ep.provider = "schwab";
  ep.label = "Schwab";
  ep.base_url = base_url(config, "SCHWAB_API_BASE", "https://api.schwabapi.com");
  ep.correlation_header = "Schwab-Client-CorrelId";
  ep.error_message = [](const Json& body) -> std::string {
    if (auto m = get_string(body, "message")) return *m;
    if (const Json* errors = find_member(body, "errors"); errors && errors->is_array() && !errors->empty()) {
      const Json& e = (*errors)[0];
      if (e.is_string()) return e.get<std::string>();
      if (e.is_object()) return get_string(e, "detail").value_or(get_string(e, "title").value_or(""));
    }
    return {};
  };
  return ep;
}

upstream::Endpoint tastytrade_endpoint(const app::Config& config) {
  upstream::Endpoint ep;
  ep.provider = "tastytrade";
  ep.label = "tastytrade";
  ep.base_url = base_url(config, "TASTYTRADE_API_BASE", "https://api.tastyworks.com");
  ep.correlation_header = "X-Request-Id";
  ep.error_message = tastytrade_error_message;
  return ep;
}

struct Kit {
  Kit(const app::Config& config, const brokers::BrokerAccess& access, const logging::Logger& log,
      std::string provider_name)
      : schwab(schwab_market_endpoint(config), access, nullptr, log),
        tastytrade(tastytrade_endpoint(config), access, nullptr, log),
        provider(std::move(provider_name)) {}
  upstream::UpstreamClient schwab;
  upstream::UpstreamClient tastytrade;
  std::string provider;
};
using KitRef = std::shared_ptr<const Kit>;

// Ticker symbols as the brokers spell them: AAPL, BRK.B, $SPX, /ES, ^VIX.
std::optional<std::string> normalize_symbol(const Json& args) {
  std::string s = get_string(args, "symbol").value_or("");
  if (s.empty() || s.size() > 24) return std::nullopt;
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '/' ||
                    c == '$' || c == '-' || c == '^' || c == '_';
    if (!ok) return std::nullopt;
  }
  return s;
}

struct CandleFetch {
  bool ok = false;
  std::vector<analysis::Candle> candles;
  std::string source;  // where the candles came from, in words
  std::string error;
};

Task<CandleFetch> fetch_candles(mcp::RequestContext& ctx, const Kit& kit, std::string symbol,
                                Timeframe timeframe) {
  CandleFetch out;
  Io& io = ctx.io();
  const std::string user = ctx.principal().user_id;
  if (kit.provider == "schwab") {
    upstream::UpstreamRequest req;
    req.path = "/marketdata/v1/pricehistory";
    req.query = market_data::schwab_price_history_query(symbol, timeframe);
    upstream::UpstreamResult r = co_await kit.schwab.send(io, user, std::move(req));
    if (!r.ok) {
      out.error = r.error.describe("Schwab");
      co_return out;
    }
    market_data::ParsedCandles parsed = market_data::parse_schwab_price_history(r.response.json);
    if (!parsed.ok) {
      out.error = parsed.error;
      co_return out;
    }
    out.ok = true;
    out.candles = std::move(parsed.candles);
    out.source = "Schwab price history (/marketdata/v1/pricehistory)";
    co_return out;
  }
  // tastytrade: a quote token, then DXLink candles.
  upstream::UpstreamRequest token_req;
  token_req.path = "/api-quote-tokens";
  upstream::UpstreamResult t = co_await kit.tastytrade.send(io, user, std::move(token_req));
  if (!t.ok) {
    out.error = t.error.describe("tastytrade");
    co_return out;
  }
  const Json* data = find_member(t.response.json, "data");
  const std::string token = data ? get_string(*data, "token").value_or("") : "";
  const std::string url = data ? get_string(*data, "dxlink-url").value_or("") : "";
  if (token.empty() || url.empty()) {
    out.error = "tastytrade did not hand out a market-data token (api-quote-tokens).";
    co_return out;
  }
  const std::string candle_symbol = market_data::dxlink_candle_symbol(symbol, timeframe);
  const std::int64_t from = market_data::dxlink_from_time(timeframe, io.now_ms());
  market_data::DxlinkCandles d =
      co_await market_data::fetch_dxlink_candles(io, url, token, candle_symbol, from, 20000);
  if (!d.ok) {
    out.error = d.error;
    co_return out;
  }
  out.ok = true;
  out.candles = std::move(d.candles);
  out.source = "tastytrade DXLink Candle events (" + candle_symbol + ", HISTORY)";
  co_return out;
}

Json symbol_schema() {
  return Json{{"type", "string"},
              {"description", "The ticker, e.g. AAPL, SPY, BRK.B."},
              {"minLength", 1},
              {"maxLength", 24}};
}

Json run_output_schema() {
  return Json{{"type", "object"},
              {"properties",
               {{"analysisId", {{"type", "string"}}},
                {"status", {{"type", "string"}}},
                {"symbol", {{"type", "string"}}}}},
              {"required", {"analysisId", "status"}}};
}

mcp::ToolDefinition make_analyze_chart(KitRef kit) {
  mcp::ToolDefinition t;
  t.name = "analyze_chart";
  t.title = "Chart analysis";
  t.description =
      "Technical analysis of a symbol's price history: SMA 20/50/200 and EMA 20, RSI 14 "
      "(Wilder), MACD 12/26/9, Bollinger 20/2 (%B, bandwidth), ATR 14, ADX 14, historical "
      "volatility, pivot points, swing highs and lows as support and resistance, the 52-week "
      "range, and the trend and momentum in plain words. Timeframes: intraday (15-minute bars, "
      "10 days), daily (2 years), weekly (5 years). The run is saved (history://analyses) and "
      "can be read again with get_workflow_status.";
  t.annotations.read_only = true;
  t.annotations.open_world = true;
  t.input_schema = Json{
      {"type", "object"},
      {"properties",
       {{"symbol", symbol_schema()},
        {"timeframe",
         {{"type", "string"}, {"enum", {"intraday", "daily", "weekly"}}, {"default", "daily"}}}}},
      {"required", {"symbol"}},
      {"additionalProperties", false}};
  t.output_schema = run_output_schema();
  t.handler = [kit](mcp::RequestContext& ctx, const Json& args) -> Task<mcp::ToolResult> {
    const std::optional<std::string> symbol = normalize_symbol(args);
    if (!symbol) co_return mcp::ToolResult::error("invalid_argument: symbol must be a ticker such as AAPL.");
    const std::optional<Timeframe> tf =
        market_data::parse_timeframe(get_string(args, "timeframe").value_or("daily"));
    if (!tf) co_return mcp::ToolResult::error("invalid_argument: timeframe must be intraday, daily or weekly.");
    Io& io = ctx.io();
    const std::string user = ctx.principal().user_id;
    const std::string id = analysis_runs::new_run_id(io);
    Json params = {{"symbol", *symbol}, {"timeframe", market_data::to_string(*tf)}, {"broker", kit->provider}};
    const bool recorded = co_await analysis_runs::insert_run(io, id, user, "chart", *symbol, params);
    co_await ctx.progress(0, 3, "Fetching the " + std::string(market_data::to_string(*tf)) + " price history of " + *symbol);
    CandleFetch candles = co_await fetch_candles(ctx, *kit, *symbol, *tf);
    if (!candles.ok) {
      if (recorded) co_await analysis_runs::fail_run(io, id, user, candles.error);
      co_return mcp::ToolResult::error(candles.error);
    }
    co_await ctx.progress(1, 3, "Computing indicators over " + std::to_string(candles.candles.size()) + " bars");
    const analysis::ChartAnalysis a =
        analysis::analyze_chart(candles.candles, market_data::periods_per_year(*tf));
    Json result = {{"analysisId", id},
                   {"status", "complete"},
                   {"kind", "chart"},
                   {"symbol", *symbol},
                   {"timeframe", market_data::to_string(*tf)},
                   {"broker", kit->provider},
                   {"source", candles.source},
                   {"chart", analysis::to_json(a)}};
    co_await ctx.progress(2, 3, "Saving the analysis");
    if (recorded) {
      const bool saved = co_await analysis_runs::complete_run(io, id, user, result);
      if (!saved) result["warning"] = "The analysis could not be saved to history.";
    } else {
      result["warning"] = "The analysis could not be saved to history.";
    }
    co_await ctx.progress(3, 3, "Done");
    co_return mcp::ToolResult::structured_json(std::move(result));
  };
  return t;
}

mcp::ToolDefinition make_get_workflow_status() {
  mcp::ToolDefinition t;
  t.name = "get_workflow_status";
  t.title = "Analysis status";
  t.description =
      "The status of an analysis run (analyze_chart, run_full_analysis) by its id: running, "
      "complete or failed, with the result when complete and the error when failed. Only "
      "the person who started the run can read it.";
  t.annotations.read_only = true;
  t.annotations.open_world = false;
  t.input_schema = Json{{"type", "object"},
                        {"properties",
                         {{"workflowId",
                           {{"type", "string"},
                            {"description", "The analysisId a tool returned."},
                            {"minLength", 1},
                            {"maxLength", 64}}}}},
                        {"required", {"workflowId"}},
                        {"additionalProperties", false}};
  t.output_schema = Json{{"type", "object"},
                         {"properties",
                          {{"workflowId", {{"type", "string"}}},
                           {"status", {{"type", "string"}, {"enum", {"running", "complete", "failed"}}}},
                           {"progress", {{"type", "number"}}}}},
                         {"required", {"workflowId", "status"}}};
  t.handler = [](mcp::RequestContext& ctx, const Json& args) -> Task<mcp::ToolResult> {
    const std::string id = get_string(args, "workflowId").value_or("");
    std::optional<Json> run = co_await analysis_runs::find_run(ctx.io(), id, ctx.principal().user_id);
    if (!run) co_return mcp::ToolResult::error("not_found: no analysis with id '" + id + "' for you.");
    co_return mcp::ToolResult::structured_json(std::move(*run));
  };
  return t;
}

}  // namespace

void add_analysis_tools(mcp::Catalog& catalog, const app::Config& config,
                        const brokers::BrokerAccess& access, const logging::Logger& log,
                        const std::string& provider) {
  auto kit = std::make_shared<const Kit>(config, access, log, provider);
  catalog.tools.push_back(make_analyze_chart(kit));
  catalog.tools.push_back(make_get_workflow_status());
}

}  // namespace bmcp::tools
