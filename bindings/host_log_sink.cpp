#include "host_log_sink.hpp"

#include "host_imports.hpp"

namespace bmcp::bindings {

void HostLogSink::write(logging::LogLevel level, std::string_view line) const {
  // host_log's levels are the index of trace..fatal, as LogLevel's.
  host_log(static_cast<std::int32_t>(level), line.data(), static_cast<std::uint32_t>(line.size()));
}

const HostLogSink& host_log_sink() {
  static const HostLogSink sink;
  return sink;
}

}  // namespace bmcp::bindings
