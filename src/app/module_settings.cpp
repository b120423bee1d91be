#include "app/module_settings.hpp"

namespace bmcp::app {

tools::StatusSettings status_settings(const Config& config) {
  tools::StatusSettings s;
  s.server_version = config.server_version;
  s.trading_mode = trading_mode_name(config.trading_mode);
  return s;
}

analysis_runs::MarketDataSettings market_data_settings(const Config& config) {
  analysis_runs::MarketDataSettings s;
  s.schwab_api_base = get_string(config.raw, "SCHWAB_API_BASE").value_or("");
  s.tastytrade_api_base = get_string(config.raw, "TASTYTRADE_API_BASE").value_or("");
  return s;
}

}  // namespace bmcp::app
