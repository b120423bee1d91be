#include "brokers/account_map_cache.hpp"

#include "base/bounded_cache.hpp"

namespace bmcp::brokers {

std::optional<AccountMapCache::Known> AccountMapCache::find(const std::string& key,
                                                            std::int64_t now_ms) const {
  auto it = entries_.find(key);
  if (it == entries_.end() || now_ms >= it->second.until_ms) return std::nullopt;
  return it->second.known;
}

void AccountMapCache::remember(const std::string& key,
                               std::optional<privacy::AccountDisplayMap> map, std::int64_t now_ms) {
  const std::int64_t until = now_ms + (map ? kTtlMs : kAbsentTtlMs);
  make_room_for(entries_, key, kMaxEntries, now_ms, [](const Entry& e) { return e.until_ms; });
  entries_[key] = Entry{Known{std::move(map)}, until};
}

}  // namespace bmcp::brokers
