// The JSON-RPC messages of an SSE text, in order: what a client reads from the data: lines
// of a streamed answer or a held stream (tests only; events whose data is not JSON, such as
// the legacy transport's endpoint event, are skipped).
#pragma once

#include "base/json.hpp"

#include <string>
#include <vector>

namespace bmcp::testing {

inline std::vector<Json> sse_messages(const std::string& sse) {
  std::vector<Json> out;
  std::size_t at = 0;
  while ((at = sse.find("data: ", at)) != std::string::npos) {
    std::size_t end = sse.find('\n', at);
    if (auto message = parse_json(sse.substr(at + 6, end - at - 6))) out.push_back(*message);
    at = end;
  }
  return out;
}

}  // namespace bmcp::testing
