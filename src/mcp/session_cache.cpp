#include "mcp/session_cache.hpp"

#include "base/bounded_cache.hpp"

namespace bmcp::mcp {

const SessionState* SessionCache::find(const std::string& id, std::int64_t now_ms) const {
  auto it = entries_.find(id);
  if (it == entries_.end() || now_ms >= it->second.until_ms) return nullptr;
  return &it->second.state;
}

void SessionCache::remember(SessionState state, std::int64_t now_ms) {
  if (dump_json(state.client_capabilities).size() > kMaxCapabilitiesBytes) return;
  state.client_info = Json::object();
  state.subscriptions.clear();
  make_room_for(entries_, state.id, kMaxEntries, now_ms, [](const Entry& e) { return e.until_ms; });
  std::string id = state.id;
  entries_[id] = Entry{std::move(state), now_ms + kTtlMs};
}

void SessionCache::hold(const std::string& id, std::int64_t now_ms) {
  entries_.erase(id);
  make_room_for(holds_, id, kMaxEntries, now_ms, [](std::int64_t until) { return until; });
  holds_[id] = now_ms + kTtlMs;
}

bool SessionCache::held(const std::string& id, std::int64_t now_ms) const {
  auto it = holds_.find(id);
  return it != holds_.end() && now_ms < it->second;
}

}  // namespace bmcp::mcp
