// Server-Sent Events framing (HTML Living Standard §9.2 "Server-sent events").
// Guarantees: every line of `data` becomes its own `data:` field, so a payload containing
// newlines (or CR/CRLF) can never end an event early or inject fields.
#pragma once

#include "http/http_message.hpp"

#include <string>
#include <string_view>

namespace bmcp::mcp {

std::string sse_event(std::string_view data, std::string_view event = "message",
                      std::string_view id = {});
std::string sse_comment(std::string_view text);

// The head of an SSE response: 200, text/event-stream, never cached or buffered by a
// proxy; naming the MCP session when `session_id` is not empty.
http::Response sse_response_head(std::string_view session_id = {});

}  // namespace bmcp::mcp
