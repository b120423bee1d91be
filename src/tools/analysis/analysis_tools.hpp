// The analysis tools, for both brokers: `analyze_chart` (technical analysis of the price
// history), `run_full_analysis` (chart + the option chain ranked for a premium-selling
// strategy) and `get_workflow_status` (a stored run, by id, for its owner only).
// Every run is recorded in D1 `analyses` (running → complete | failed, scoped to the
// person) and is read back through history://analyses. Runs are computed within the
// call, with progress notifications between the steps.
#pragma once

#include "app/config.hpp"
#include "brokers/broker_access.hpp"
#include "logging/logger.hpp"
#include "mcp/catalog.hpp"

#include <string>

namespace bmcp::tools {

// `provider`: "schwab" or "tastytrade", the broker of the catalog.
void add_analysis_tools(mcp::Catalog& catalog, const app::Config& config,
                        const brokers::BrokerAccess& access, const logging::Logger& log,
                        const std::string& provider);

}  // namespace bmcp::tools
