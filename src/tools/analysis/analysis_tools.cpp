#include "tools/analysis/analysis_tools.hpp"

#include "analysis_runs/analysis_runs.hpp"
#include "effects/host_api.hpp"

#include <memory>

namespace bmcp::tools {
namespace {

using analysis_runs::AnalysisEngine;
using analysis_runs::AnalysisRun;
using analysis_runs::filters_from;
using analysis_runs::kAnalysisWorkflowBinding;
using analysis_runs::normalize_symbol;
using analysis_runs::StepAnswer;
using market_data::Timeframe;
using EngineRef = std::shared_ptr<const AnalysisEngine>;

constexpr std::int64_t kPollIntervalMs = 400;

// Runs the plan's steps here, in this call: the deployment has no Workflows binding (or
// the engine refused the instance). Same steps, same records, same events.
Task<mcp::ToolResult> run_within_call(mcp::RequestContext& ctx, const AnalysisEngine& engine,
                                      AnalysisRun run) {
  Io& io = ctx.io();
  const std::vector<std::string> steps = AnalysisEngine::plan(run);
  const double total = static_cast<double>(steps.size());
  Json outputs = Json::object();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string& step = steps[i];
    co_await ctx.progress(static_cast<double>(i), total, AnalysisEngine::describe_step(run, step));
    StepAnswer answer;
    // A step asks to be retried for a transient platform failure, as the Workflow
    // engine would (a few times, with a pause).
    for (int attempt = 0; attempt < 3; ++attempt) {
      answer = co_await engine.run_step(io, run, step, outputs);
      if (answer.outcome != StepAnswer::Outcome::kRetry) break;
      co_await host::sleep(io, 250 * (attempt + 1));
    }
    if (answer.outcome != StepAnswer::Outcome::kDone) {
      const std::string error = answer.outcome == StepAnswer::Outcome::kFailed
                                    ? answer.error
                                    : "unavailable: " + answer.error + "; try again.";
      co_await engine.record_failure(io, run, error);
      co_return mcp::ToolResult::error(error);
    }
    outputs[step] = std::move(answer.output);
  }
  co_await ctx.progress(total, total, "Done");
  co_return mcp::ToolResult::structured_json(AnalysisEngine::result_of(outputs));
}

// Follows a started Workflow through D1 until it ends or `wait_ms` runs out, sending
// progress notifications as it moves.
Task<mcp::ToolResult> wait_for_workflow(mcp::RequestContext& ctx, AnalysisRun run,
                                        std::int64_t wait_ms) {
  Io& io = ctx.io();
  const std::int64_t deadline = io.now_ms() + wait_ms;
  double reported = -1;
  double progress = 0;
  std::string message = "Started";
  for (;;) {
    std::optional<Json> found = co_await analysis_runs::find_run(io, run.ref.id, run.ref.user_id);
    if (found) {
      const std::string status = get_string(*found, "status").value_or("running");
      if (status == "complete") {
        const Json* result = find_member(*found, "result");
        if (result && result->is_object()) {
          co_await ctx.progress(100, 100, "Done");
          co_return mcp::ToolResult::structured_json(*result);
        }
      }
      if (status == "failed")
        co_return mcp::ToolResult::error(
            get_string(*found, "error").value_or("The analysis failed."));
      progress = get_number(*found, "progress").value_or(progress);
      message = get_string(*found, "message").value_or(message);
    }
    // notifications/progress must increase (basic/utilities/progress).
    if (progress > reported) {
      co_await ctx.progress(progress * 100, 100, message);
      reported = progress;
    }
    if (io.now_ms() >= deadline) break;
    co_await host::sleep(io, kPollIntervalMs);
  }
  Json running = {{"analysisId", run.ref.id},
                  {"workflowId", run.ref.id},
                  {"status", "running"},
                  {"kind", run.ref.kind},
                  {"symbol", run.ref.symbol},
                  {"progress", progress},
                  {"message", "Still running (" + message +
                                  "). Call get_workflow_status with this workflowId, "
                                  "or subscribe to channel analysis:" +
                                  run.ref.id + " on /ws."}};
  co_return mcp::ToolResult::structured_json(std::move(running));
}

// Records the run, starts its Workflow, and answers within `wait_ms` when it can.
Task<mcp::ToolResult> start_analysis(mcp::RequestContext& ctx, const AnalysisEngine& engine,
                                     AnalysisRun run, std::int64_t wait_ms) {
  Io& io = ctx.io();
  const bool recorded = co_await analysis_runs::insert_run(
      io, run.ref.id, run.ref.user_id, run.ref.kind, run.ref.symbol, run.params);
  if (!recorded)
    co_return mcp::ToolResult::error("unavailable: the analysis could not be recorded; try again.");
  Json payload = run.to_payload();
  host::StartResult started =
      co_await host::workflow_create(io, kAnalysisWorkflowBinding, run.ref.id, std::move(payload));
  if (!started.ok) co_return co_await run_within_call(ctx, engine, std::move(run));
  co_return co_await wait_for_workflow(ctx, std::move(run), wait_ms);
}

std::int64_t wait_ms_of(const Json& args) {
  const std::int64_t seconds = get_int(args, "waitSeconds").value_or(20);
  return std::clamp<std::int64_t>(seconds, 0, 50) * 1000;
}

AnalysisRun new_run(Io& io, const mcp::RequestContext& ctx, std::string kind, std::string symbol,
                    Json params) {
  AnalysisRun run;
  run.ref.id = analysis_runs::new_run_id(io);
  run.ref.user_id = ctx.principal().user_id;
  run.ref.kind = std::move(kind);
  run.ref.symbol = std::move(symbol);
  params.erase("waitSeconds");
  run.params = std::move(params);
  return run;
}

// Schemas are written as JSON text: parsed once at registration, far smaller in the
// module than nested initializer lists.
Json schema(const char* text) { return parse_json(text).value_or(Json::object()); }

#define BMCP_SYMBOL_SCHEMA \
  R"("symbol": {"type": "string", "description": "The ticker, e.g. AAPL, SPY, BRK.B.", "minLength": 1, "maxLength": 24})"

constexpr const char* kRunOutputSchema =
    R"({"type": "object", "properties": {"analysisId": {"type": "string"}, "status": {"type": "string"},
        "symbol": {"type": "string"}}, "required": ["analysisId", "status"]})";

mcp::ToolDefinition make_analyze_chart(EngineRef engine, std::string broker) {
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
  // It waits up to waitSeconds for a Workflow: a cancellation must be able to reach it.
  t.needs_session_object = true;
  t.annotations.open_world = true;
  t.input_schema = schema(R"({"type": "object", "properties": {)" BMCP_SYMBOL_SCHEMA R"(,
      "timeframe": {"type": "string", "enum": ["intraday", "daily", "weekly"], "default": "daily", "description": "intraday: 15-minute bars over 10 days; daily: 2 years; weekly: 5 years."},
      "waitSeconds": {"type": "integer", "minimum": 0, "maximum": 50, "default": 20,
        "description": "How long to wait for the result before answering with the workflowId (the analysis goes on)."}},
      "required": ["symbol"], "additionalProperties": false})");
  t.output_schema = schema(kRunOutputSchema);
  t.handler = [engine, broker](mcp::RequestContext& ctx,
                               const Json& args) -> Task<mcp::ToolResult> {
    const std::optional<std::string> symbol = normalize_symbol(args);
    if (!symbol)
      co_return mcp::ToolResult::error("invalid_argument: symbol must be a ticker such as AAPL.");
    const std::optional<Timeframe> tf =
        market_data::parse_timeframe(get_string(args, "timeframe").value_or("daily"));
    if (!tf)
      co_return mcp::ToolResult::error(
          "invalid_argument: timeframe must be intraday, daily or weekly.");
    Json params = {
        {"symbol", *symbol}, {"timeframe", market_data::to_string(*tf)}, {"broker", broker}};
    AnalysisRun run = new_run(ctx.io(), ctx, "chart", *symbol, std::move(params));
    co_return co_await start_analysis(ctx, *engine, std::move(run), wait_ms_of(args));
  };
  return t;
}

mcp::ToolDefinition make_run_full_analysis(EngineRef engine, std::string broker) {
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
  // It waits up to waitSeconds for a Workflow: a cancellation must be able to reach it.
  t.needs_session_object = true;
  t.annotations.open_world = true;
  t.input_schema = schema(R"({"type": "object", "properties": {)" BMCP_SYMBOL_SCHEMA R"(,
      "strategy": {"type": "string", "enum": ["csp", "covered_call", "spread"], "description": "csp: cash-secured puts; covered_call: calls against shares held; spread: credit spreads."},
      "spreadType": {"type": "string", "enum": ["put", "call"], "default": "put", "description": "For spread: put (bull put) or call (bear call)."},
      "minDte": {"type": "integer", "minimum": 0, "maximum": 730, "default": 21, "description": "Fewest days to expiration."},
      "maxDte": {"type": "integer", "minimum": 0, "maximum": 730, "default": 45, "description": "Most days to expiration."},
      "minDelta": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.15, "description": "Smallest absolute delta of the short leg."},
      "maxDelta": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.35, "description": "Largest absolute delta of the short leg."},
      "minOpenInterest": {"type": "integer", "minimum": 0, "default": 100, "description": "Fewest open contracts of each leg."},
      "maxSpreadFraction": {"type": "number", "minimum": 0, "maximum": 10, "default": 0.10,
                            "description": "Maximum (ask - bid) / mid."},
      "skipEarnings": {"type": "boolean", "default": true, "description": "Leave out expirations after the next earnings date."},
      "costBasis": {"type": "number", "exclusiveMinimum": 0,
                    "description": "Per-share cost of the shares, for covered calls."},
      "priceBasis": {"type": "string", "enum": ["mid", "natural"], "default": "mid", "description": "Price candidates at the mid, or at the natural price (bid when selling, ask when buying)."},
      "maxResults": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10, "description": "At most this many ranked candidates."},
      "waitSeconds": {"type": "integer", "minimum": 0, "maximum": 50, "default": 20,
        "description": "How long to wait for the result before answering with the workflowId (the analysis goes on)."}},
      "required": ["symbol", "strategy"], "additionalProperties": false})");
  t.output_schema = schema(kRunOutputSchema);
  t.handler = [engine, broker](mcp::RequestContext& ctx,
                               const Json& args) -> Task<mcp::ToolResult> {
    const std::optional<std::string> symbol = normalize_symbol(args);
    if (!symbol)
      co_return mcp::ToolResult::error("invalid_argument: symbol must be a ticker such as AAPL.");
    const std::string strategy = get_string(args, "strategy").value_or("");
    if (strategy != "csp" && strategy != "covered_call" && strategy != "spread")
      co_return mcp::ToolResult::error(
          "invalid_argument: strategy must be csp, covered_call or spread.");
    const analysis::CandidateFilters filters = filters_from(args);
    if (filters.min_dte > filters.max_dte || filters.min_abs_delta > filters.max_abs_delta)
      co_return mcp::ToolResult::error(
          "invalid_argument: minDte must not exceed maxDte, nor minDelta maxDelta.");
    Json params = args;
    params["symbol"] = *symbol;
    params["broker"] = broker;
    AnalysisRun run = new_run(ctx.io(), ctx, "full", *symbol, std::move(params));
    co_return co_await start_analysis(ctx, *engine, std::move(run), wait_ms_of(args));
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
    const std::string user = ctx.principal().user_id;
    std::optional<Json> run = co_await analysis_runs::find_run(ctx.io(), id, user);
    if (!run)
      co_return mcp::ToolResult::error("not_found: no analysis with id '" + id + "' for you.");
    Json events = co_await analysis_runs::run_events(ctx.io(), id, user);
    (*run)["events"] = std::move(events);
    co_return mcp::ToolResult::structured_json(std::move(*run));
  };
  return t;
}

}  // namespace

void add_analysis_tools(mcp::Catalog& catalog, std::shared_ptr<const AnalysisEngine> engine,
                        const std::string& provider) {
  catalog.tools.push_back(make_analyze_chart(engine, provider));
  catalog.tools.push_back(make_run_full_analysis(engine, provider));
  catalog.tools.push_back(make_get_workflow_status());
}

}  // namespace bmcp::tools
