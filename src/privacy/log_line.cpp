#include "privacy/log_line.hpp"

#include "privacy/log_redaction.hpp"

namespace bmcp::privacy {

std::string format_log_line(LogLevel level, std::string_view message, const Json& fields,
                            const AccountDisplayMap* accounts) {
  // Built by hand rather than as one Json object: objects sort their keys, and level and
  // message belong at the front of the line.
  std::string line = "{\"level\":";
  line += dump_json(Json(std::string(to_string(level))));
  line += ",\"message\":";
  line += dump_json(Json(redact_text_for_log(message, accounts)));

  Json redacted = redact_for_log(fields, accounts);
  if (redacted.is_object()) {
    Json rest = Json::object();
    for (auto& [key, value] : redacted.items()) {
      std::string name = key;
      while (name == "level" || name == "message" || rest.contains(name)) name = "_" + name;
      rest[name] = std::move(value);
    }
    for (const auto& [key, value] : rest.items()) {
      line += ',';
      line += dump_json(Json(key));
      line += ':';
      line += dump_json(value);
    }
  } else if (!redacted.is_null()) {
    line += ",\"fields\":";
    line += dump_json(redacted);
  }
  line += '}';
  return line;
}

}  // namespace bmcp::privacy
