#include "tools/analysis/analysis_tools.hpp"

#include "analysis/analysis_json.hpp"
#include "analysis/chart_summary.hpp"
#include "brokers/schwab/schwab_api.hpp"
#include "brokers/upstream/upstream_client.hpp"
#include "crypto/hex.hpp"
#include "effects/host_api.hpp"
#include "market_data/candle_sources.hpp"
#include "market_data/option_sources.hpp"
#include "brokers/upstream/dates.hpp"
#include "brokers/upstream/url.hpp"
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
      : schwab_limiter(schwab::kRequestsPerMinute, 60000),
        schwab(schwab_market_endpoint(config), access, &schwab_limiter, log),
        tastytrade(tastytrade_endpoint(config), access, nullptr, log),
        provider(std::move(provider_name)) {}
  Kit(const Kit&) = delete;  // the clients point at the limiter
  Kit& operator=(const Kit&) = delete;
  // Schwab's request budget is per app, shared with the Schwab tools (same D1 bucket).
  upstream::D1RateLimiter schwab_limiter;
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

// Schemas are written as JSON text: parsed once at registration, far smaller in the
// module than nested initializer lists.
Json schema(const char* text) { return parse_json(text).value_or(Json::object()); }

#define BMCP_SYMBOL_SCHEMA \
  R"("symbol": {"type": "string", "description": "The ticker, e.g. AAPL, SPY, BRK.B.", "minLength": 1, "maxLength": 24})"

constexpr const char* kRunOutputSchema =
    R"({"type": "object", "properties": {"analysisId": {"type": "string"}, "status": {"type": "string"},
        "symbol": {"type": "string"}}, "required": ["analysisId", "status"]})";

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
  t.input_schema = schema(R"({"type": "object", "properties": {)" BMCP_SYMBOL_SCHEMA R"(,
      "timeframe": {"type": "string", "enum": ["intraday", "daily", "weekly"], "default": "daily"}},
      "required": ["symbol"], "additionalProperties": false})");
  t.output_schema = schema(kRunOutputSchema);
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

// ---- run_full_analysis ------------------------------------------------------------------

struct ChainFetch {
  bool ok = false;
  std::string error;
  std::vector<analysis::OptionQuote> quotes;
  market_data::MarketFacts facts;
  std::vector<std::string> notes;
};

Task<ChainFetch> fetch_chain(mcp::RequestContext& ctx, const Kit& kit, std::string symbol, char put_call,
                             analysis::CandidateFilters filters) {
  ChainFetch out;
  Io& io = ctx.io();
  const std::string user = ctx.principal().user_id;
  const std::string today = upstream::format_date(io.now_ms());
  if (kit.provider == "schwab") {
    upstream::QueryString q;
    q.add("symbol", symbol)
        .add("contractType", put_call == 'C' ? "CALL" : "PUT")
        .add("strategy", "SINGLE")
        .add("includeUnderlyingQuote", "true")
        .add("fromDate", upstream::format_date(io.now_ms() + filters.min_dte * upstream::kDayMs))
        .add("toDate", upstream::format_date(io.now_ms() + filters.max_dte * upstream::kDayMs));
    upstream::UpstreamRequest chain_req;
    chain_req.path = "/marketdata/v1/chains";
    chain_req.query = q.str();
    upstream::UpstreamResult chain = co_await kit.schwab.send(io, user, std::move(chain_req));
    if (!chain.ok) {
      out.error = chain.error.describe("Schwab");
      co_return out;
    }
    market_data::SchwabChain parsed = market_data::parse_schwab_chain(chain.response.json);
    if (!parsed.ok) {
      out.error = parsed.error;
      co_return out;
    }
    out.quotes = std::move(parsed.quotes);
    out.facts = parsed.facts;
    upstream::QueryString fq;
    fq.add("symbols", symbol).add("fields", "quote,fundamental");
    upstream::UpstreamRequest quote_req;
    quote_req.path = "/marketdata/v1/quotes";
    quote_req.query = fq.str();
    upstream::UpstreamResult quotes = co_await kit.schwab.send(io, user, std::move(quote_req));
    if (quotes.ok)
      market_data::add_schwab_fundamentals(quotes.response.json, symbol, today, out.facts);
    else
      out.notes.push_back("Dividend dates are unknown: the Schwab quote could not be read.");
    out.notes.push_back("Schwab publishes no IV rank and no next earnings date: both are unknown, "
                        "so no candidate is skipped for earnings.");
    out.ok = true;
    co_return out;
  }
  // tastytrade
  upstream::UpstreamRequest metrics_req;
  metrics_req.path = "/market-metrics";
  metrics_req.query = "symbols=" + upstream::percent_encode(symbol);
  upstream::UpstreamResult metrics = co_await kit.tastytrade.send(io, user, std::move(metrics_req));
  if (metrics.ok)
    out.facts = market_data::parse_tastytrade_metrics(metrics.response.json, symbol);
  else
    out.notes.push_back("Market metrics (IV rank, earnings and dividend dates) could not be read: " +
                        metrics.error.describe("tastytrade"));
  upstream::UpstreamRequest chain_req;
  chain_req.path = "/option-chains/" + upstream::percent_encode(symbol) + "/nested";
  upstream::UpstreamResult chain = co_await kit.tastytrade.send(io, user, std::move(chain_req));
  if (!chain.ok) {
    out.error = chain.error.describe("tastytrade");
    co_return out;
  }
  out.quotes = market_data::parse_tastytrade_nested_chain(chain.response.json, filters.min_dte,
                                                          filters.max_dte, put_call);
  constexpr std::size_t kMaxContracts = 396;
  if (out.quotes.size() > kMaxContracts) {
    out.notes.push_back("Only the first " + std::to_string(kMaxContracts) + " of " +
                        std::to_string(out.quotes.size()) + " contracts in the DTE window were priced.");
    out.quotes.resize(kMaxContracts);
  }
  for (std::size_t start = 0; start < out.quotes.size() || start == 0; start += 99) {
    upstream::QueryString q;
    if (start == 0) q.add("equity", symbol);
    for (std::size_t i = start; i < out.quotes.size() && i < start + 99; ++i) q.add("equity-option", out.quotes[i].symbol);
    upstream::UpstreamRequest quote_req;
    quote_req.path = "/market-data/by-type";
    quote_req.query = q.str();
    upstream::UpstreamResult quotes = co_await kit.tastytrade.send(io, user, std::move(quote_req));
    if (!quotes.ok) {
      out.error = quotes.error.describe("tastytrade");
      co_return out;
    }
    std::optional<double> mark =
        market_data::apply_tastytrade_quotes(quotes.response.json, symbol, out.quotes, out.facts);
    if (mark) out.facts.underlying_price = mark;
    if (out.quotes.empty()) break;
  }
  out.notes.push_back("tastytrade's REST quotes carry no greeks: they are computed with Black-Scholes "
                      "from each expiration's implied volatility (greeks_source says so per leg).");
  out.ok = true;
  co_return out;
}

analysis::CandidateFilters filters_from(const Json& args) {
  analysis::CandidateFilters f;
  if (auto v = get_int(args, "minDte")) f.min_dte = static_cast<int>(*v);
  if (auto v = get_int(args, "maxDte")) f.max_dte = static_cast<int>(*v);
  if (auto v = get_number(args, "minDelta")) f.min_abs_delta = *v;
  if (auto v = get_number(args, "maxDelta")) f.max_abs_delta = *v;
  if (auto v = get_int(args, "minOpenInterest")) f.min_open_interest = static_cast<long>(*v);
  if (auto v = get_number(args, "maxSpreadFraction")) f.max_spread_fraction = *v;
  if (auto v = get_bool(args, "skipEarnings")) f.skip_earnings_before_expiry = *v;
  if (auto v = get_int(args, "maxResults")) f.max_results = static_cast<std::size_t>(*v);
  if (get_string(args, "priceBasis").value_or("mid") == "natural") f.price_basis = analysis::PriceBasis::kNatural;
  return f;
}

Json facts_json(const market_data::MarketFacts& f) {
  Json j = Json::object();
  if (f.underlying_price) j["underlying_price"] = *f.underlying_price;
  if (f.iv_index) j["iv_index"] = *f.iv_index;
  if (f.iv_rank) j["iv_rank"] = *f.iv_rank;
  if (f.iv_percentile) j["iv_percentile"] = *f.iv_percentile;
  if (f.rate) j["rate"] = *f.rate;
  if (f.dividend_yield) j["dividend_yield"] = *f.dividend_yield;
  j["earnings_date"] = f.earnings_date.empty() ? Json("unknown") : Json(f.earnings_date);
  j["ex_dividend_date"] = f.ex_dividend_date.empty() ? Json("unknown") : Json(f.ex_dividend_date);
  if (f.dividend_amount) j["dividend_amount"] = *f.dividend_amount;
  return j;
}

mcp::ToolDefinition make_run_full_analysis(KitRef kit) {
  mcp::ToolDefinition t;
  t.name = "run_full_analysis";
  t.title = "Full options analysis";
  t.description =
      "Chart analysis plus market metrics (IV rank, earnings and ex-dividend dates) plus the "
      "option chain, producing ranked candidates for a premium-selling strategy: csp "
      "(cash-secured puts), covered_call, or spread (credit spreads; spreadType put = bull put, "
      "call = bear call). Defaults, all overridable: 21-45 DTE, short delta 0.15-0.35, open "
      "interest >= 100, bid/ask spread <= 10% of the mid (never stricter than $0.10), skip "
      "expirations after an earnings date, priced at the mid. Greeks are the broker's when it "
      "sends them, else Black-Scholes from implied volatility (each leg says which). The run "
      "is saved (history://analyses) and can be read again with get_workflow_status.";
  t.annotations.read_only = true;
  t.annotations.open_world = true;
  t.input_schema = schema(R"({"type": "object", "properties": {)" BMCP_SYMBOL_SCHEMA R"(,
      "strategy": {"type": "string", "enum": ["csp", "covered_call", "spread"]},
      "spreadType": {"type": "string", "enum": ["put", "call"], "default": "put"},
      "minDte": {"type": "integer", "minimum": 0, "maximum": 730, "default": 21},
      "maxDte": {"type": "integer", "minimum": 0, "maximum": 730, "default": 45},
      "minDelta": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.15},
      "maxDelta": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.35},
      "minOpenInterest": {"type": "integer", "minimum": 0, "default": 100},
      "maxSpreadFraction": {"type": "number", "minimum": 0, "maximum": 10, "default": 0.10,
                            "description": "Maximum (ask - bid) / mid."},
      "skipEarnings": {"type": "boolean", "default": true},
      "costBasis": {"type": "number", "exclusiveMinimum": 0,
                    "description": "Per-share cost of the shares, for covered calls."},
      "priceBasis": {"type": "string", "enum": ["mid", "natural"], "default": "mid"},
      "maxResults": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}},
      "required": ["symbol", "strategy"], "additionalProperties": false})");
  t.output_schema = schema(kRunOutputSchema);
  t.handler = [kit](mcp::RequestContext& ctx, const Json& args) -> Task<mcp::ToolResult> {
    const std::optional<std::string> symbol = normalize_symbol(args);
    if (!symbol) co_return mcp::ToolResult::error("invalid_argument: symbol must be a ticker such as AAPL.");
    const std::string strategy = get_string(args, "strategy").value_or("");
    if (strategy != "csp" && strategy != "covered_call" && strategy != "spread")
      co_return mcp::ToolResult::error("invalid_argument: strategy must be csp, covered_call or spread.");
    const std::string spread_type = get_string(args, "spreadType").value_or("put");
    const analysis::CandidateFilters filters = filters_from(args);
    if (filters.min_dte > filters.max_dte || filters.min_abs_delta > filters.max_abs_delta)
      co_return mcp::ToolResult::error("invalid_argument: minDte must not exceed maxDte, nor minDelta maxDelta.");
    const char put_call = strategy == "csp" ? 'P' : strategy == "covered_call" ? 'C' : (spread_type == "call" ? 'C' : 'P');

    Io& io = ctx.io();
    const std::string user = ctx.principal().user_id;
    const std::string id = analysis_runs::new_run_id(io);
    Json params = args;
    params["symbol"] = *symbol;
    params["broker"] = kit->provider;
    const bool recorded = co_await analysis_runs::insert_run(io, id, user, "full", *symbol, params);

    co_await ctx.progress(0, 4, "Fetching the daily price history of " + *symbol);
    CandleFetch candles = co_await fetch_candles(ctx, *kit, *symbol, Timeframe::kDaily);
    if (!candles.ok) {
      if (recorded) co_await analysis_runs::fail_run(io, id, user, candles.error);
      co_return mcp::ToolResult::error(candles.error);
    }
    const analysis::ChartAnalysis chart = analysis::analyze_chart(candles.candles, 252.0);

    co_await ctx.progress(1, 4, "Fetching market metrics and the option chain");
    ChainFetch chain = co_await fetch_chain(ctx, *kit, *symbol, put_call, filters);
    if (!chain.ok) {
      if (recorded) co_await analysis_runs::fail_run(io, id, user, chain.error);
      co_return mcp::ToolResult::error(chain.error);
    }

    co_await ctx.progress(2, 4, "Ranking " + std::to_string(chain.quotes.size()) + " contracts");
    analysis::UnderlyingContext context;
    context.symbol = *symbol;
    context.price = chain.facts.underlying_price.value_or(chart.last_close.value_or(0));
    context.rate = chain.facts.rate.value_or(0.045);
    context.dividend_yield = chain.facts.dividend_yield.value_or(0);
    context.as_of_date = upstream::format_date(io.now_ms());
    context.earnings_date = chain.facts.earnings_date;
    context.ex_dividend_date = chain.facts.ex_dividend_date;
    context.dividend_amount = chain.facts.dividend_amount;
    if (auto b = get_number(args, "costBasis")) context.cost_basis = *b;
    if (!chain.facts.rate) chain.notes.push_back("Risk-free rate assumed 4.5% (the broker gave none).");

    Json ranking;
    if (strategy == "csp")
      ranking = analysis::to_json(analysis::rank_cash_secured_puts(chain.quotes, context, filters));
    else if (strategy == "covered_call")
      ranking = analysis::to_json(analysis::rank_covered_calls(chain.quotes, context, filters));
    else
      ranking = analysis::to_json(analysis::rank_credit_spreads(
          chain.quotes, context, put_call == 'C' ? analysis::OptionType::kCall : analysis::OptionType::kPut, filters));

    Json result = {{"analysisId", id},
                   {"status", "complete"},
                   {"kind", "full"},
                   {"symbol", *symbol},
                   {"strategy", strategy},
                   {"broker", kit->provider},
                   {"source", candles.source},
                   {"market", facts_json(chain.facts)},
                   {"filters", analysis::to_json(filters)},
                   {"ranking", std::move(ranking)},
                   {"chart", analysis::to_json(chart)},
                   {"notes", chain.notes}};
    if (strategy == "spread") result["spreadType"] = put_call == 'C' ? "bear call" : "bull put";
    co_await ctx.progress(3, 4, "Saving the analysis");
    bool saved = false;
    if (recorded) saved = co_await analysis_runs::complete_run(io, id, user, result);
    if (!saved) result["warning"] = "The analysis could not be saved to history.";
    co_await ctx.progress(4, 4, "Done");
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
  t.input_schema = schema(R"({"type": "object", "properties": {"workflowId": {"type": "string",
      "description": "The analysisId a tool returned.", "minLength": 1, "maxLength": 64}},
      "required": ["workflowId"], "additionalProperties": false})");
  t.output_schema = schema(R"({"type": "object", "properties": {"workflowId": {"type": "string"},
      "status": {"type": "string", "enum": ["running", "complete", "failed"]}, "progress": {"type": "number"}},
      "required": ["workflowId", "status"]})");
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
  catalog.tools.push_back(make_run_full_analysis(kit));
  catalog.tools.push_back(make_get_workflow_status());
}

}  // namespace bmcp::tools
