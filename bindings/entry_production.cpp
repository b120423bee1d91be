#include "entry.hpp"

namespace bmcp::bindings {
app::CatalogSet build_catalogs(const app::Config& config, const app::Services& services) {
  return app::build_production_catalogs(config, services);
}
}  // namespace bmcp::bindings
