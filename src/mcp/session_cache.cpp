#include "mcp/session_cache.hpp"

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
  if (entries_.size() >= kMaxEntries && entries_.find(state.id) == entries_.end()) {
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->second.until_ms <= now_ms) it = entries_.erase(it);
      else ++it;
    }
    if (entries_.size() >= kMaxEntries) entries_.erase(entries_.begin());
  }
  std::string id = state.id;
  entries_[id] = Entry{std::move(state), now_ms + kTtlMs};
}

void SessionCache::hold(const std::string& id, std::int64_t now_ms) {
  entries_.erase(id);
  if (holds_.size() >= kMaxEntries && holds_.find(id) == holds_.end()) {
    for (auto it = holds_.begin(); it != holds_.end();) {
      if (it->second <= now_ms) it = holds_.erase(it);
      else ++it;
    }
    if (holds_.size() >= kMaxEntries) holds_.erase(holds_.begin());
  }
  holds_[id] = now_ms + kTtlMs;
}

bool SessionCache::held(const std::string& id, std::int64_t now_ms) const {
  auto it = holds_.find(id);
  return it != holds_.end() && now_ms < it->second;
}

}  // namespace bmcp::mcp
