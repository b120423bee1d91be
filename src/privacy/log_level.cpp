#include "privacy/log_level.hpp"

#include <array>
#include <utility>

namespace bmcp::privacy {

std::optional<LogLevel> parse_log_level(std::string_view text) {
  constexpr std::array<std::pair<std::string_view, LogLevel>, 6> kNames = {{
      {"trace", LogLevel::kTrace},
      {"debug", LogLevel::kDebug},
      {"info", LogLevel::kInfo},
      {"warn", LogLevel::kWarn},
      {"error", LogLevel::kError},
      {"fatal", LogLevel::kFatal},
  }};
  for (const auto& [name, level] : kNames) {
    if (name == text) return level;
  }
  return std::nullopt;
}

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace: return "trace";
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
    case LogLevel::kFatal: return "fatal";
  }
  return "error";
}

}  // namespace bmcp::privacy
