// Which catalogs a wasm build serves. The production build links entry_production.cpp;
// the conformance fixture build links tests/conformance/entry_conformance.cpp instead.
#pragma once

#include "app/catalog_set.hpp"

namespace bmcp::bindings {
app::CatalogSet build_catalogs(const app::Config& config, const app::Services& services);
}
