// The wasm entry of the conformance fixture build (-DBMCP_FLAVOR=conformance): it serves the
// fixture catalogs instead of the production ones (bindings/entry_production.cpp), and tells
// the App it is the fixture, the only build that honours AUTH_MODE=none.
#include "entry.hpp"

#include "conformance_catalogs.hpp"

namespace bmcp::bindings {
app::CatalogSet build_catalogs(const app::Config& config, const app::Services& services) {
  (void)services;
  return conformance::build_conformance_catalogs(config);
}
app::BuildFlavor build_flavor() { return app::BuildFlavor::ConformanceFixture; }
}  // namespace bmcp::bindings
