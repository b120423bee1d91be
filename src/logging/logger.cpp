#include "logging/logger.hpp"

#include "privacy/log_line.hpp"

namespace bmcp::logging {

void Logger::log(LogLevel level, std::string_view message, const Json& fields,
                 const privacy::AccountDisplayMap* accounts) const {
  if (!enabled(level)) return;
  sink_->write(level, privacy::format_log_line(level, message, fields, accounts));
}

const Logger& null_logger() {
  static const NullLogSink sink;
  static const Logger logger(sink, LogLevel::kFatal);
  return logger;
}

}  // namespace bmcp::logging
