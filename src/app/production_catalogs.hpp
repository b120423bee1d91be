// The production catalogs with a log sink: the Worker build passes the host's log
// (bindings/host_log_sink.hpp); build_production_catalogs(config, services) logs nowhere.
#pragma once

#include "app/catalog_set.hpp"
#include "logging/logger.hpp"

namespace bmcp::app {

CatalogSet build_production_catalogs(const Config& config, const Services& services,
                                     const logging::LogSink& log_sink);

}  // namespace bmcp::app
