// The production catalogs as a deployment builds them (both brokers, the given trading
// mode), with a broker-access double: for tests that inspect the tools, their declarations
// and how the server routes them, without calling a broker.
#pragma once

#include "app/production_catalogs.hpp"
#include "support/fake_broker_access.hpp"

#include <memory>

namespace bmcp::testing {

struct ProductionCatalogs {
  app::Services services;
  app::CatalogSet set;

  explicit ProductionCatalogs(app::TradingMode mode = app::TradingMode::Confirm) {
    app::Config config;
    config.trading_mode = mode;
    config.raw = {{"SCHWAB_API_BASE", "https://schwab.test"},
                  {"TASTYTRADE_API_BASE", "https://tasty.test"}};
    services.broker_access = std::make_unique<FakeBrokerAccess>();
    set = app::build_production_catalogs(config, services);
  }
};

}  // namespace bmcp::testing
