// The core's log sink inside the Worker: lines go to the host_log import, which writes
// them to the Worker's console (worker-shim/host-imports.js).
#pragma once

#include "logging/logger.hpp"

namespace bmcp::bindings {

class HostLogSink final : public logging::LogSink {
 public:
  void write(logging::LogLevel level, std::string_view line) const override;
};

const HostLogSink& host_log_sink();

}  // namespace bmcp::bindings
