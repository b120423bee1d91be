#include "entry.hpp"

#include "app/production_catalogs.hpp"
#include "host_log_sink.hpp"

namespace bmcp::bindings {
app::CatalogSet build_catalogs(const app::Config& config, const app::Services& services) {
  return app::build_production_catalogs(config, services, host_log_sink());
}
app::BuildFlavor build_flavor() { return app::BuildFlavor::Production; }
}  // namespace bmcp::bindings
