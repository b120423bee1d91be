#include "oauth/grant_cache.hpp"

#include "base/bounded_cache.hpp"

namespace bmcp::oauth {

bool GrantCache::is_live(const std::string& grant_id, const std::string& user_id,
                         std::int64_t now_ms) const {
  auto it = entries_.find(grant_id);
  return it != entries_.end() && it->second.user_id == user_id && now_ms < it->second.until_ms;
}

void GrantCache::remember_live(const std::string& grant_id, const std::string& user_id,
                               std::int64_t now_ms) {
  make_room_for(entries_, grant_id, kMaxEntries, now_ms, [](const Entry& e) { return e.until_ms; });
  entries_[grant_id] = Entry{user_id, now_ms + kTtlMs};
}

void GrantCache::forget_grant(const std::string& grant_id) { entries_.erase(grant_id); }

void GrantCache::forget_user(const std::string& user_id) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.user_id == user_id) it = entries_.erase(it);
    else ++it;
  }
}

}  // namespace bmcp::oauth
