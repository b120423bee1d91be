#include "app/production_catalogs.hpp"

#include "app/account_output_guard.hpp"
#include "app/module_settings.hpp"
#include "brokers/broker_accounts.hpp"
#include "brokers/schwab/schwab_accounts.hpp"
#include "brokers/schwab/schwab_api.hpp"
#include "brokers/tastytrade/tastytrade_accounts.hpp"
#include "brokers/tastytrade/tastytrade_api.hpp"
#include "privacy/log_level.hpp"
#include "tools/analysis/analysis_tools.hpp"
#include "prompts/prompts.hpp"
#include "resources/resources.hpp"
#include "brokers/schwab/schwab_tools.hpp"
#include "brokers/tastytrade/tastytrade_tools.hpp"
#include "tools/status_tool.hpp"

namespace bmcp::app {

namespace {
mcp::ServerIdentity identity(const Config& config) {
  mcp::ServerIdentity id;
  id.version = config.server_version;
  id.instructions =
      "broker-mcp connects you to the person's brokerage account (Charles Schwab or "
      "tastytrade). Accounts are always named by display names such as Individual-...123; "
      "account numbers are never shown or needed. Orders are previewed first and sent only "
      "after the person confirms. Call `status` to see which broker is connected.";
  return id;
}
}  // namespace

CatalogSet build_production_catalogs(const Config& config, const Services& services,
                                     const logging::LogSink& log_sink) {
  CatalogSet set;
  for (mcp::Catalog* c : {&set.signed_out, &set.schwab, &set.tastytrade}) {
    c->identity = identity(config);
    c->tools.push_back(
        tools::make_status_tool(status_settings(config), services.broker_access.get()));
  }
  const logging::Logger log(
      log_sink, privacy::parse_log_level(config.log_level).value_or(privacy::LogLevel::kInfo));
  brokers::BrokerToolOptions broker_options;
  broker_options.trading = trading_rules(config.trading_mode);
  broker_options.account_maps = services.account_maps.get();
  if (services.broker_access)
    schwab::add_schwab_tools(set.schwab, schwab::schwab_endpoint(config.raw),
                             *services.broker_access, log, broker_options);
  if (services.broker_access) {
    // One engine serves both brokers' tools and the AnalysisWorkflow's steps.
    set.analysis = std::make_shared<const analysis_runs::AnalysisEngine>(
        market_data_settings(config), *services.broker_access, log);
    tools::add_analysis_tools(set.schwab, set.analysis, "schwab");
    tools::add_analysis_tools(set.tastytrade, set.analysis, "tastytrade");
  }
  if (services.broker_access)
    tastytrade::add_tastytrade_tools(
        set.tastytrade, tastytrade::tastytrade_endpoint(config.raw, config.server_version),
        *services.broker_access, log, broker_options);
  for (mcp::Catalog* c : {&set.schwab, &set.tastytrade}) resources::add_common_resources(*c);
  prompts::add_prompts(set.schwab, "schwab");
  prompts::add_prompts(set.tastytrade, "tastytrade");
  // Every answer of every catalog leaves through the guard (mcp/output_guard.hpp), with the
  // account map of the broker the person signed in with.
  set.schwab.output_guard = std::make_shared<const AccountOutputGuard>(
      brokers::cached_account_reader(brokers::Broker::Schwab, services.account_maps.get()), log);
  set.tastytrade.output_guard = std::make_shared<const AccountOutputGuard>(
      brokers::cached_account_reader(brokers::Broker::Tastytrade, services.account_maps.get()),
      log);
  set.signed_out.output_guard = std::make_shared<const AccountOutputGuard>(nullptr, log);
  return set;
}

CatalogSet build_production_catalogs(const Config& config, const Services& services) {
  static const logging::NullLogSink no_log;
  return build_production_catalogs(config, services, no_log);
}

}  // namespace bmcp::app
