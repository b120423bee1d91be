// Log severities, in order: trace < debug < info < warn < error < fatal.
// LOG_LEVEL is validated like the reference server's configuration: only the exact
// lower-case names are accepted ("DEBUG" is a configuration error, not a synonym).
#pragma once

#include <optional>
#include <string_view>

namespace bmcp::privacy {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kFatal };

// nullopt for anything but "trace", "debug", "info", "warn", "error", "fatal".
std::optional<LogLevel> parse_log_level(std::string_view text);

std::string_view to_string(LogLevel level);

// A line at `level` is written when the configured `threshold` lets it through.
constexpr bool is_enabled(LogLevel threshold, LogLevel level) { return level >= threshold; }

}  // namespace bmcp::privacy
