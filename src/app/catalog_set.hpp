// The catalogs a deployment serves, one per kind of sign-in: the tools listed depend on
// the broker the person signed in with (a Schwab user sees Schwab tools).
#pragma once

#include "app/config.hpp"
#include "app/services.hpp"
#include "brokers/broker.hpp"
#include "mcp/catalog.hpp"

#include <functional>
#include <memory>

namespace bmcp::analysis_runs {
class AnalysisEngine;
}

namespace bmcp::app {

struct CatalogSet {
  mcp::Catalog signed_out;
  mcp::Catalog schwab;
  mcp::Catalog tastytrade;
  // Runs the analysis steps for the tools and for the AnalysisWorkflow (null in builds
  // without analysis tools).
  std::shared_ptr<const analysis_runs::AnalysisEngine> analysis;

  const mcp::Catalog& for_principal(const mcp::Principal& p) const {
    switch (brokers::broker_named(p.broker)) {
      case brokers::Broker::Schwab: return schwab;
      case brokers::Broker::Tastytrade: return tastytrade;
      case brokers::Broker::None: break;
    }
    return signed_out;
  }
};

// Builds the catalogs of a build: the production server (app/production_catalogs.cpp) or a
// test fixture. The bindings entry point chooses which one a wasm build links.
using CatalogBuilder = std::function<CatalogSet(const Config&, const Services&)>;

CatalogSet build_production_catalogs(const Config& config, const Services& services);

}  // namespace bmcp::app
