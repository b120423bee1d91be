#include "analysis_runs/analysis_workflow.hpp"

#include "analysis/analysis_json.hpp"
#include "analysis/chart_summary.hpp"
#include "analysis_runs/analysis_runs.hpp"
#include "analysis_runs/step_data.hpp"
#include "brokers/upstream/dates.hpp"
#include "http/call_result.hpp"

#include <algorithm>

namespace bmcp::analysis_runs {
namespace {

using market_data::Timeframe;

constexpr const char* kHistory = "fetch price history";
constexpr const char* kChain = "fetch market metrics and chain";
constexpr const char* kCompute = "compute";
constexpr const char* kStore = "store";
constexpr const char* kNotify = "notify";

StepAnswer done(Json output) {
  StepAnswer a;
  a.output = std::move(output);
  return a;
}
StepAnswer failed(std::string error) {
  StepAnswer a;
  a.outcome = StepAnswer::Outcome::kFailed;
  a.error = std::move(error);
  return a;
}
StepAnswer retry(std::string why) {
  StepAnswer a;
  a.outcome = StepAnswer::Outcome::kRetry;
  a.error = std::move(why);
  return a;
}

std::string param(const AnalysisRun& run, const char* key, const char* fallback = "") {
  return get_string(run.params, key).value_or(fallback);
}

Timeframe timeframe_of(const AnalysisRun& run) {
  if (run.ref.kind != "chart") return Timeframe::kDaily;
  return market_data::parse_timeframe(param(run, "timeframe", "daily")).value_or(Timeframe::kDaily);
}

// 'P' or 'C': the side of the chain a strategy sells.
char side_of(const AnalysisRun& run) {
  const std::string strategy = param(run, "strategy");
  if (strategy == "csp") return 'P';
  if (strategy == "covered_call") return 'C';
  return param(run, "spreadType", "put") == "call" ? 'C' : 'P';
}

}  // namespace

std::string AnalysisEngine::describe_step(const AnalysisRun& run, const std::string& step) {
  if (step == kHistory)
    return "Fetching the " + std::string(market_data::to_string(timeframe_of(run))) +
           " price history of " + run.ref.symbol;
  if (step == kChain) return "Fetching market metrics and the option chain of " + run.ref.symbol;
  if (step == kCompute)
    return run.ref.kind == "chart" ? "Computing indicators"
                                   : "Computing indicators and ranking contracts";
  if (step == kStore) return "Saving the analysis";
  return "Notifying";
}

namespace {

const Json& output_of(const Json& outputs, const char* step) {
  static const Json kEmpty = Json::object();
  const Json* o = find_member(outputs, step);
  return o ? *o : kEmpty;
}

Json compute_result(const AnalysisRun& run, const Json& outputs, std::int64_t now_ms) {
  const Json& history = output_of(outputs, kHistory);
  const Json* rows = find_member(history, "candles");
  const std::vector<analysis::Candle> candles =
      step_data::candles_from_json(rows ? *rows : Json::array());
  const Timeframe tf = timeframe_of(run);
  const analysis::ChartAnalysis chart =
      analysis::analyze_chart(candles, market_data::periods_per_year(tf));
  const std::string broker = param(run, "broker");
  const std::string source = get_string(history, "source").value_or("");
  if (run.ref.kind == "chart") {
    return {{"analysisId", run.ref.id},
            {"workflowId", run.ref.id},
            {"status", "complete"},
            {"kind", "chart"},
            {"symbol", run.ref.symbol},
            {"timeframe", market_data::to_string(tf)},
            {"broker", broker},
            {"source", source},
            {"chart", analysis::to_json(chart)}};
  }
  const Json& chain = output_of(outputs, kChain);
  const Json* q = find_member(chain, "quotes");
  const std::vector<analysis::OptionQuote> quotes =
      step_data::quotes_from_json(q ? *q : Json::array());
  const Json* f = find_member(chain, "facts");
  const market_data::MarketFacts facts = step_data::facts_from_json(f ? *f : Json::object());
  Json notes = Json::array();
  if (const Json* n = find_member(chain, "notes"); n && n->is_array()) notes = *n;
  const analysis::CandidateFilters filters = filters_from(run.params);
  const std::string strategy = param(run, "strategy");
  const char put_call = side_of(run);

  analysis::UnderlyingContext context;
  context.symbol = run.ref.symbol;
  context.price = facts.underlying_price.value_or(chart.last_close.value_or(0));
  context.rate = facts.rate.value_or(0.045);
  context.dividend_yield = facts.dividend_yield.value_or(0);
  context.as_of_date = upstream::format_date(now_ms);
  context.earnings_date = facts.earnings_date;
  context.ex_dividend_date = facts.ex_dividend_date;
  context.dividend_amount = facts.dividend_amount;
  if (auto b = get_number(run.params, "costBasis")) context.cost_basis = *b;
  if (!facts.rate) notes.push_back("Risk-free rate assumed 4.5% (the broker gave none).");

  Json ranking;
  if (strategy == "csp")
    ranking = analysis::to_json(analysis::rank_cash_secured_puts(quotes, context, filters));
  else if (strategy == "covered_call")
    ranking = analysis::to_json(analysis::rank_covered_calls(quotes, context, filters));
  else
    ranking = analysis::to_json(analysis::rank_credit_spreads(
        quotes, context, put_call == 'C' ? analysis::OptionType::kCall : analysis::OptionType::kPut,
        filters));

  Json result = {{"analysisId", run.ref.id},
                 {"workflowId", run.ref.id},
                 {"status", "complete"},
                 {"kind", "full"},
                 {"symbol", run.ref.symbol},
                 {"strategy", strategy},
                 {"broker", broker},
                 {"source", source},
                 {"market", facts_json(facts)},
                 {"filters", analysis::to_json(filters)},
                 {"ranking", std::move(ranking)},
                 {"chart", analysis::to_json(chart)},
                 {"notes", std::move(notes)}};
  if (strategy == "spread") result["spreadType"] = put_call == 'C' ? "bear call" : "bull put";
  return result;
}

}  // namespace

const Json& AnalysisEngine::result_of(const Json& outputs) { return output_of(outputs, kCompute); }

Json AnalysisRun::to_payload() const {
  return {{"runId", ref.id},
          {"userId", ref.user_id},
          {"kind", ref.kind},
          {"symbol", ref.symbol},
          {"params", params}};
}

std::optional<AnalysisRun> AnalysisRun::from_payload(const Json& payload) {
  AnalysisRun run;
  run.ref.id = get_string(payload, "runId").value_or("");
  run.ref.user_id = get_string(payload, "userId").value_or("");
  run.ref.kind = get_string(payload, "kind").value_or("");
  run.ref.symbol = get_string(payload, "symbol").value_or("");
  const Json* params = find_member(payload, "params");
  if (run.ref.id.empty() || run.ref.user_id.empty() || run.ref.symbol.empty() || !params ||
      !params->is_object() || (run.ref.kind != "chart" && run.ref.kind != "full"))
    return std::nullopt;
  run.params = *params;
  return run;
}

std::vector<std::string> AnalysisEngine::plan(const AnalysisRun& run) {
  if (run.ref.kind == "chart") return {kHistory, kCompute, kStore, kNotify};
  return {kHistory, kChain, kCompute, kStore, kNotify};
}

Task<StepAnswer> AnalysisEngine::run_step(Io& io, const AnalysisRun& run, std::string step,
                                          const Json& outputs) const {
  const std::vector<std::string> steps = plan(run);
  const auto at = std::find(steps.begin(), steps.end(), step);
  if (at == steps.end()) co_return failed("internal: unknown analysis step '" + step + "'");
  const std::string& user = run.ref.user_id;
  const std::string broker = param(run, "broker");

  // Where the run is, for the waiting call, get_workflow_status and the person's sockets.
  if (step == kHistory || step == kChain || step == kCompute) {
    const double progress =
        static_cast<double>(at - steps.begin()) / static_cast<double>(steps.size());
    const std::string message = describe_step(run, step);
    co_await analysis_runs::set_progress(io, run.ref.id, user, progress, message);
    Json event = analysis_events::progress_event(run.ref, step, progress, message);
    co_await analysis_events::publish(io, run.ref, std::move(event));
  }

  if (step == kHistory) {
    Result<CandleFetch> fetched =
        co_await fetch_candles(io, clients_, broker, user, run.ref.symbol, timeframe_of(run));
    if (!fetched.ok()) co_return failed(fetched.error());
    const CandleFetch& c = fetched.value();
    co_return done({{"candles", step_data::candles_to_json(c.candles)}, {"source", c.source}});
  }
  if (step == kChain) {
    const analysis::CandidateFilters filters = filters_from(run.params);
    const char put_call = side_of(run);
    Result<ChainFetch> fetched =
        co_await fetch_chain(io, clients_, broker, user, run.ref.symbol, put_call, filters);
    if (!fetched.ok()) co_return failed(fetched.error());
    const ChainFetch& c = fetched.value();
    co_return done({{"quotes", step_data::quotes_to_json(c.quotes)},
                    {"facts", step_data::facts_to_json(c.facts)},
                    {"notes", c.notes}});
  }
  if (step == kCompute) co_return done(compute_result(run, outputs, io.now_ms()));
  if (step == kStore) {
    Json result = output_of(outputs, kCompute);
    if (!result.is_object() || result.empty())
      co_return failed("internal: nothing was computed to store");
    const bool saved =
        co_await analysis_runs::complete_run(io, run.ref.id, user, std::move(result));
    if (!saved) co_return retry("the analysis could not be saved to D1");
    co_return done(Json::object());
  }
  // kNotify
  Json event = analysis_events::completion_event(run.ref, "complete");
  const bool sent = co_await analysis_events::publish(io, run.ref, std::move(event));
  if (!sent) co_return retry("the completion event could not be queued");
  co_return done(Json::object());
}

Task<bool> AnalysisEngine::record_failure(Io& io, const AnalysisRun& run, std::string error) const {
  const bool recorded = co_await analysis_runs::fail_run(io, run.ref.id, run.ref.user_id, error);
  if (!recorded) co_return false;
  Json event = analysis_events::completion_event(run.ref, "failed", error);
  co_return co_await analysis_events::publish(io, run.ref, std::move(event));
}

Task<Json> AnalysisEngine::serve_workflow_step(Io& io, const Json& event) const {
  const Json* payload = find_member(event, "payload");
  std::optional<AnalysisRun> run = payload ? AnalysisRun::from_payload(*payload) : std::nullopt;
  if (!run) co_return http::respond(http::Response::json(400, {{"error", "invalid_payload"}}));
  const std::string step = get_string(event, "step").value_or("");
  if (step == "plan") co_return http::respond(http::Response::json(200, {{"steps", plan(*run)}}));
  if (step == "record failure") {
    const std::string error = get_string(event, "error").value_or("The analysis failed.");
    const bool recorded = co_await record_failure(io, *run, error);
    if (!recorded)
      co_return http::respond(
          http::Response::json(503, {{"error", "the failure could not be recorded"}}));
    co_return http::respond(http::Response::json(200, {{"output", Json::object()}}));
  }
  const Json* found = find_member(event, "outputs");
  const Json outputs = found && found->is_object() ? *found : Json::object();
  StepAnswer answer = co_await run_step(io, *run, step, outputs);
  if (answer.outcome == StepAnswer::Outcome::kRetry)
    co_return http::respond(http::Response::json(503, {{"error", answer.error}}));
  if (answer.outcome == StepAnswer::Outcome::kFailed)
    co_return http::respond(http::Response::json(200, {{"failed", answer.error}}));
  co_return http::respond(http::Response::json(200, {{"output", std::move(answer.output)}}));
}

}  // namespace bmcp::analysis_runs
