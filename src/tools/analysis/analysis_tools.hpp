// The analysis tools, for both brokers: `analyze_chart` (technical analysis of the price
// history), `run_full_analysis` (chart + the option chain ranked for a premium-selling
// strategy) and `get_workflow_status` (a stored run, by id, for its owner only).
// A run is recorded in D1 `analyses` and carried out by the AnalysisWorkflow
// (analysis_runs/analysis_workflow.hpp); the tool follows it with progress
// notifications and answers with the result when it ends within `waitSeconds`, else with
// the workflow id. Without a Workflows binding the same steps run within the call.
#pragma once

#include "analysis_runs/analysis_workflow.hpp"
#include "mcp/catalog.hpp"

#include <memory>
#include <string>

namespace bmcp::tools {

// `provider`: "schwab" or "tastytrade", the broker of the catalog.
void add_analysis_tools(mcp::Catalog& catalog,
                        std::shared_ptr<const analysis_runs::AnalysisEngine> engine,
                        const std::string& provider);

}  // namespace bmcp::tools
