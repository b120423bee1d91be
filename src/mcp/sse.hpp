// Server-Sent Events framing (HTML Living Standard §9.2 "Server-sent events").
// Guarantees: every line of `data` becomes its own `data:` field, so a payload containing
// newlines (or CR/CRLF) can never end an event early or inject fields.
#pragma once

#include <string>
#include <string_view>

namespace bmcp::mcp {

std::string sse_event(std::string_view data, std::string_view event = "message",
                      std::string_view id = {});
std::string sse_comment(std::string_view text);

}  // namespace bmcp::mcp
