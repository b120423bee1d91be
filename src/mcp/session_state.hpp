// The state of one MCP session (Streamable HTTP 2025-era, or legacy HTTP+SSE), kept in
// the session's Durable Object storage. Its life: created by `initialize`, becomes
// `initialized` on notifications/initialized, ends on DELETE (ended sessions answer 404).
#pragma once

#include "base/json.hpp"
#include "mcp/principal.hpp"

#include <optional>
#include <set>
#include <string>

namespace bmcp::mcp {

enum class Transport { StreamableHttp, LegacySse };

struct SessionState {
  std::string id;
  Transport transport = Transport::StreamableHttp;
  std::string protocol_version;
  Json client_capabilities = Json::object();
  Json client_info = Json::object();
  bool initialized = false;
  bool ended = false;
  std::string log_level;  // empty: the client has not asked for log messages
  std::set<std::string> subscriptions;
  std::string user_id;  // the principal that opened the session; others get 404
  std::int64_t created_ms = 0;

  Json to_json() const;
  static std::optional<SessionState> from_json(const Json& j);

  bool client_supports(std::string_view capability) const;
  bool client_supports_form_elicitation() const;
};

// RFC 5424 severities as MCP names them (server/utilities/logging); higher is more severe.
std::optional<int> log_severity(std::string_view level);

}  // namespace bmcp::mcp
