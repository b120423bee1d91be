#include "mcp/session_state.hpp"

#include <array>

namespace bmcp::mcp {

Json SessionState::to_json() const {
  Json subs = Json::array();
  for (const auto& s : subscriptions) subs.push_back(s);
  return {{"id", id},
          {"transport", transport == Transport::LegacySse ? "sse" : "streamable-http"},
          {"protocolVersion", protocol_version},
          {"clientCapabilities", client_capabilities},
          {"clientInfo", client_info},
          {"initialized", initialized},
          {"ended", ended},
          {"logLevel", log_level},
          {"subscriptions", subs},
          {"userId", user_id},
          {"createdMs", created_ms}};
}

std::optional<SessionState> SessionState::from_json(const Json& j) {
  auto id = get_string(j, "id");
  if (!id) return std::nullopt;
  SessionState s;
  s.id = *id;
  s.transport = get_string(j, "transport").value_or("") == "sse" ? Transport::LegacySse
                                                                 : Transport::StreamableHttp;
  s.protocol_version = get_string(j, "protocolVersion").value_or("");
  if (const Json* c = find_member(j, "clientCapabilities"); c && c->is_object())
    s.client_capabilities = *c;
  if (const Json* c = find_member(j, "clientInfo"); c && c->is_object()) s.client_info = *c;
  s.initialized = get_bool(j, "initialized").value_or(false);
  s.ended = get_bool(j, "ended").value_or(false);
  s.log_level = get_string(j, "logLevel").value_or("");
  if (const Json* subs = find_member(j, "subscriptions"); subs && subs->is_array())
    for (const Json& u : *subs)
      if (u.is_string()) s.subscriptions.insert(u.get<std::string>());
  s.user_id = get_string(j, "userId").value_or("");
  s.created_ms = get_int(j, "createdMs").value_or(0);
  return s;
}

bool SessionState::client_supports(std::string_view capability) const {
  return find_member(client_capabilities, capability) != nullptr;
}

bool SessionState::client_supports_form_elicitation() const {
  const Json* e = find_member(client_capabilities, "elicitation");
  if (!e || !e->is_object()) return false;
  // An empty elicitation capability means form mode (client/elicitation#capabilities).
  if (e->empty()) return true;
  return find_member(*e, "form") != nullptr;
}

std::optional<int> log_severity(std::string_view level) {
  static constexpr std::array<std::string_view, 8> kLevels = {
      "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};
  for (std::size_t i = 0; i < kLevels.size(); ++i)
    if (kLevels[i] == level) return static_cast<int>(i);
  return std::nullopt;
}

}  // namespace bmcp::mcp
