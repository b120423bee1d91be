// The analysis as durable steps. A run (D1 `analyses`, created by a tool as `running`) is
// carried out as a fixed plan of steps, each a pure function of the run's parameters and
// the earlier steps' outputs plus broker reads:
//   chart: fetch price history → compute → store → notify
//   full:  fetch price history → fetch market metrics and chain → compute → store → notify
// On Cloudflare the AnalysisWorkflow class (worker-shim/analysis-workflow.js) runs each
// step in `step.do`, so the engine persists outputs and retries a step that throws; the
// same steps run within the tool call when the deployment has no Workflows binding.
//
// Guarantees: every step is idempotent (reads, an UPDATE to the same values, or an event
// the consumer deduplicates); `store` writes the whole result in one statement, and a
// definitive failure is recorded with `record_failure` — never a half-written analysis.
//
// src/analysis_runs/ is the engine that carries an analysis out: this plan of steps, the
// broker reads they make (market_data_clients.hpp), what one step hands the next
// (step_data.hpp), the run's record in D1 (analysis_runs.hpp) and its events
// (analysis_events.hpp). The MCP tools that start and follow a run are only its callers
// (tools/analysis/analysis_tools.hpp). It stands apart from src/analysis/ on purpose:
// that folder is the pure maths (indicators, Black-Scholes, strategies — no effects, no
// broker, nothing but base/), which this engine and the market data use; the engine does
// I/O (brokers, D1, the Queue, the hub), and beside the maths it would make the maths
// depend on everything it reads from.
#pragma once

#include "analysis_runs/analysis_events.hpp"
#include "analysis_runs/market_data_clients.hpp"
#include "brokers/broker_access.hpp"
#include "logging/logger.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bmcp::analysis_runs {

inline constexpr const char* kAnalysisWorkflowBinding = "ANALYSIS_WORKFLOW";

struct AnalysisRun {
  analysis_events::RunRef ref;
  Json params;  // validated tool arguments + symbol, broker (and timeframe for charts)

  // The Workflow instance's payload, and back.
  Json to_payload() const;
  static std::optional<AnalysisRun> from_payload(const Json& payload);
};

// What a step answers.
struct StepAnswer {
  enum class Outcome { kDone, kFailed, kRetry };
  Outcome outcome = Outcome::kDone;
  Json output = Json::object();  // kDone: what later steps read
  std::string error;             // kFailed: for the person; kRetry: for the log
};

class AnalysisEngine {
 public:
  AnalysisEngine(const MarketDataSettings& settings, const brokers::BrokerAccess& access,
                 const logging::Logger& log)
      : clients_(settings, access, log) {}

  static std::vector<std::string> plan(const AnalysisRun& run);
  // What a step does, in words (progress messages).
  static std::string describe_step(const AnalysisRun& run, const std::string& step);
  // The analysis result among the steps' outputs (empty until `compute` ran).
  static const Json& result_of(const Json& outputs);
  // `outputs`: {step name: output} of the steps before this one.
  Task<StepAnswer> run_step(Io& io, const AnalysisRun& run, std::string step,
                            const Json& outputs) const;
  // Marks the run failed and tells the person; false when it could not be recorded.
  Task<bool> record_failure(Io& io, const AnalysisRun& run, std::string error) const;

  // The Workflow's step call (event `workflow.step`, bindings/ABI.md): {"steps":[…]} for
  // step "plan", {"output":…} or {"failed":…} for a step, 503 when it should be retried.
  Task<Json> serve_workflow_step(Io& io, const Json& event) const;

 private:
  MarketDataClients clients_;
};

}  // namespace bmcp::analysis_runs
