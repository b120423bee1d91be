// The wasm entry of the conformance fixture build (-DBMCP_FLAVOR=conformance): it serves the
// fixture catalogs instead of the production ones (bindings/entry_production.cpp).
#include "entry.hpp"

#include "conformance_catalogs.hpp"

namespace bmcp::bindings {
app::CatalogSet build_catalogs(const app::Config& config, const app::Services& services) {
  (void)services;
  return conformance::build_conformance_catalogs(config);
}
}  // namespace bmcp::bindings
