#include "brokers/account_map_cache.hpp"

#include "base/bounded_cache.hpp"

namespace bmcp::brokers {

std::optional<AccountMapCache::Known> AccountMapCache::find(const std::string& key,
                                                            std::int64_t now_ms) const {
  auto it = entries_.find(key);
  if (it == entries_.end() || now_ms >= it->second.until_ms) return std::nullopt;
  return it->second.known;
}

void AccountMapCache::remember_read(const std::string& key,
                                    std::optional<privacy::AccountDisplayMap> map,
                                    std::int64_t now_ms, std::uint64_t changes_at_start) {
  if (changes_ != changes_at_start) return;  // older than what was built or forgotten since
  store(key, std::move(map), now_ms);
}

void AccountMapCache::remember_built(const std::string& key, privacy::AccountDisplayMap map,
                                     std::int64_t now_ms) {
  ++changes_;
  store(key, std::move(map), now_ms);
}

void AccountMapCache::store(const std::string& key, std::optional<privacy::AccountDisplayMap> map,
                            std::int64_t now_ms) {
  const std::int64_t until = now_ms + (map ? kTtlMs : kAbsentTtlMs);
  make_room_for(entries_, key, kMaxEntries, now_ms, [](const Entry& e) { return e.until_ms; });
  entries_[key] = Entry{Known{std::move(map)}, until};
}

}  // namespace bmcp::brokers
