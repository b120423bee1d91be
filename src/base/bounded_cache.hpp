// The one eviction rule of the isolate's short-lived caches (grant cache, session records,
// broker tokens): before a new key goes into a map that holds `max_entries`, the expired
// entries go; if it is still full, one arbitrary entry goes. So a cache never grows past
// its bound, whatever keys a client makes it learn.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bmcp {

// `expires_at(value)` says until when an entry is good, in the unit of `now` (epoch ms, or
// seconds for the verified-token cache).
template <class Map, class Key, class ExpiresAt>
void make_room_for(Map& map, const Key& key, std::size_t max_entries, std::int64_t now_ms,
                   ExpiresAt expires_at) {
  if (map.size() < max_entries || map.find(key) != map.end()) return;
  for (auto it = map.begin(); it != map.end();) {
    if (expires_at(it->second) <= now_ms) it = map.erase(it);
    else ++it;
  }
  if (map.size() >= max_entries) map.erase(map.begin());
}

}  // namespace bmcp
