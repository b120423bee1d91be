#include "mcp/protocol_version.hpp"

namespace bmcp::mcp {

bool is_session_version(std::string_view v) {
  for (auto s : kSessionVersions)
    if (s == v) return true;
  return false;
}

bool is_known_version(std::string_view v) {
  return is_session_version(v) || v == kStatelessVersion;
}

std::string_view negotiate(std::string_view requested) {
  return is_session_version(requested) ? requested : kLatestSessionVersion;
}

bool allows_batches(std::string_view v) { return v == "2025-03-26"; }

Json supported_protocol_versions() {
  Json v = Json::array({std::string(kStatelessVersion)});
  for (auto s : kSessionVersions) v.push_back(std::string(s));
  return v;
}

}  // namespace bmcp::mcp
