#include "app/module_settings.hpp"

#include "brokers/schwab/schwab_api.hpp"
#include "brokers/tastytrade/tastytrade_api.hpp"

namespace bmcp::app {

tools::StatusSettings status_settings(const Config& config) {
  tools::StatusSettings s;
  s.server_version = config.server_version;
  s.trading_mode = trading_mode_name(config.trading_mode);
  return s;
}

analysis_runs::MarketDataSettings market_data_settings(const Config& config) {
  analysis_runs::MarketDataSettings s;
  s.schwab = schwab::schwab_endpoint(config.raw);
  s.tastytrade = tastytrade::tastytrade_endpoint(config.raw, config.server_version);
  return s;
}

}  // namespace bmcp::app
