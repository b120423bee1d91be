#include "mcp/sse.hpp"

namespace bmcp::mcp {
namespace {
// Field values may not contain line breaks; strip them from names and ids.
std::string single_line(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '\n' && c != '\r') out.push_back(c);
  return out;
}
}  // namespace

std::string sse_event(std::string_view data, std::string_view event, std::string_view id) {
  std::string out;
  out.reserve(data.size() + 32);
  if (!event.empty()) out += "event: " + single_line(event) + "\n";
  if (!id.empty()) out += "id: " + single_line(id) + "\n";
  std::size_t start = 0;
  while (true) {
    std::size_t end = data.find_first_of("\r\n", start);
    out += "data: ";
    out.append(
        data.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    out += "\n";
    if (end == std::string_view::npos) break;
    start = end + 1;
    if (data[end] == '\r' && start < data.size() && data[start] == '\n') ++start;
  }
  out += "\n";
  return out;
}

std::string sse_comment(std::string_view text) { return ": " + single_line(text) + "\n\n"; }

http::Response sse_response_head(std::string_view session_id) {
  http::Response head;
  head.status = 200;
  head.set("Content-Type", "text/event-stream");
  head.set("Cache-Control", "no-cache, no-transform");
  head.set("X-Accel-Buffering", "no");
  if (!session_id.empty()) head.set("Mcp-Session-Id", std::string(session_id));
  return head;
}

}  // namespace bmcp::mcp
