#include "entry.hpp"

namespace bmcp::bindings {
app::CatalogSet build_catalogs(const app::Config& config) {
  return app::build_production_catalogs(config);
}
}  // namespace bmcp::bindings
