// The settings of the modules below the app, filled from the deployment's configuration:
// each module declares the small struct it needs and reads no configuration itself; the
// app, which composes the modules, is the one place that knows which variable feeds which
// setting. Pure functions of the Config: same configuration, same settings.
#pragma once

#include "analysis_runs/market_data_clients.hpp"
#include "app/config.hpp"
#include "tools/status_tool.hpp"

namespace bmcp::app {

// The status tool's server version and TRADING_MODE.
tools::StatusSettings status_settings(const Config& config);

// SCHWAB_API_BASE and TASTYTRADE_API_BASE as given (unset: the brokers' production APIs).
analysis_runs::MarketDataSettings market_data_settings(const Config& config);

}  // namespace bmcp::app
