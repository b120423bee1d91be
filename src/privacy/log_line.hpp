// One log record as one line of JSON, already redacted, ready for console output:
//   {"level":"warn","message":"...","<field>":...,...}
// `level` and `message` come first so a reader can scan a tail of the log. Fields are merged
// at the top level; a field named "level" or "message" is kept as "_level" / "_message"; a
// `fields` value that is not an object is kept under "fields". No timestamp: the core has no
// clock, and the host's log stream stamps every line.
#pragma once

#include <string>
#include <string_view>

#include "base/json.hpp"
#include "privacy/account_display_map.hpp"
#include "privacy/log_level.hpp"

namespace bmcp::privacy {

// The message and every field pass through redact_text_for_log / redact_for_log. The result
// contains no raw newline (they are escaped by the JSON encoding).
std::string format_log_line(LogLevel level, std::string_view message, const Json& fields,
                            const AccountDisplayMap* accounts = nullptr);

}  // namespace bmcp::privacy
