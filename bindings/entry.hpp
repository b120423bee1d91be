// Which catalogs a wasm build serves, and which build it is. The production build links
// entry_production.cpp; the conformance fixture build links
// tests/conformance/entry_conformance.cpp instead.
#pragma once

#include "app/catalog_set.hpp"

namespace bmcp::bindings {
app::CatalogSet build_catalogs(const app::Config& config, const app::Services& services);
// The fixture may run without sign-in (AUTH_MODE=none); production never does.
app::BuildFlavor build_flavor();
}  // namespace bmcp::bindings
