// Test fixtures serve one catalog whoever signs in (signed out, Schwab or tastytrade), so a
// test of the transports or of sign-in does not depend on which broker its person uses.
#pragma once

#include "app/catalog_set.hpp"

namespace bmcp::testing {

inline app::CatalogSet one_catalog_for_everyone(const mcp::Catalog& catalog) {
  app::CatalogSet set;
  set.signed_out = catalog;
  set.schwab = catalog;
  set.tastytrade = catalog;
  return set;
}

}  // namespace bmcp::testing
