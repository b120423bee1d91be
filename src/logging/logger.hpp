// Logging port: the core writes log lines through a LogSink and never touches a console
// itself. The Worker build's sink hands lines to the host_log import
// (bindings/host_log_sink.hpp); tests capture them. Every line goes through
// privacy::format_log_line first, so secrets become [REDACTED] and account numbers
// "...789" before any sink sees them.
#pragma once

#include "base/json.hpp"
#include "privacy/account_display_map.hpp"
#include "privacy/log_level.hpp"

#include <string_view>

namespace bmcp::logging {

using privacy::LogLevel;

class LogSink {
 public:
  virtual ~LogSink() = default;
  // `line` is one redacted JSON object without a trailing newline.
  virtual void write(LogLevel level, std::string_view line) const = 0;
};

class NullLogSink final : public LogSink {
 public:
  void write(LogLevel, std::string_view) const override {}
};

// A sink and a threshold (LOG_LEVEL). Cheap to copy; the sink must outlive it.
class Logger {
 public:
  Logger(const LogSink& sink, LogLevel threshold) : sink_(&sink), threshold_(threshold) {}

  bool enabled(LogLevel level) const { return privacy::is_enabled(threshold_, level); }
  // `accounts`, when known, lets the redactor recognise this user's account numbers and
  // hashes anywhere in the message and fields.
  void log(LogLevel level, std::string_view message, const Json& fields = Json::object(),
           const privacy::AccountDisplayMap* accounts = nullptr) const;

 private:
  const LogSink* sink_;
  LogLevel threshold_;
};

// A logger that writes nothing (tests and builds without a host log).
const Logger& null_logger();

}  // namespace bmcp::logging
