#include "signin/broker_token_cache.hpp"

#include "base/bounded_cache.hpp"

#include <algorithm>

namespace bmcp::signin {

std::optional<BrokerTokenCache::Entry> BrokerTokenCache::find(const std::string& user_id,
                                                              const std::string& provider,
                                                              std::int64_t now_ms) const {
  auto it = entries_.find(key(user_id, provider));
  if (it == entries_.end() || now_ms >= it->second.until_ms) return std::nullopt;
  return it->second;
}

void BrokerTokenCache::remember(const std::string& user_id, const std::string& provider,
                                std::string access_token,
                                std::optional<std::int64_t> signin_expires_at_ms,
                                std::int64_t usable_until_ms, std::int64_t now_ms) {
  const std::int64_t until = std::min(now_ms + kTtlMs, usable_until_ms);
  if (until <= now_ms) return;
  const std::string k = key(user_id, provider);
  make_room_for(entries_, k, kMaxEntries, now_ms, [](const Entry& e) { return e.until_ms; });
  entries_[k] = Entry{std::move(access_token), signin_expires_at_ms, until};
}

void BrokerTokenCache::forget(const std::string& user_id, const std::string& provider) {
  entries_.erase(key(user_id, provider));
}

}  // namespace bmcp::signin
