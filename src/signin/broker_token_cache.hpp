// BrokerTokenCache: a person's usable broker access token, kept in this isolate for a few
// seconds (an in-memory token cache), so a stream of tool calls does not read and
// unseal the D1 row on every call.
//
// Only a token that is not yet due for refresh is remembered, and never past the moment it
// becomes due: refresh stays in BrokerTokenStore, single-flight through D1. Whatever this
// isolate learns that ends a token — the broker refusing it (invalidate), a refresh, a
// refused refresh, a new sign-in through this isolate — forgets it here at once; a change made
// through another isolate (a new sign-in, a refused refresh there) is seen within kTtlMs, the
// bearer check's own bound (oauth/grant_cache.hpp). Bounded: at most kMaxEntries, expired entries
// go first. The core is single-threaded, so no locking.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace bmcp::signin {

class BrokerTokenCache {
 public:
  static constexpr std::int64_t kTtlMs = 10'000;
  static constexpr std::size_t kMaxEntries = 4096;

  struct Entry {
    std::string access_token;
    std::optional<std::int64_t> signin_expires_at_ms;  // when the sign-in itself ends
    std::int64_t until_ms = 0;
  };

  // The token of `user_id` at `provider` if one was remembered and is still usable now.
  std::optional<Entry> find(const std::string& user_id, const std::string& provider,
                            std::int64_t now_ms) const;
  // Remembers a token usable until `usable_until_ms` (the moment it is due for refresh).
  void remember(const std::string& user_id, const std::string& provider, std::string access_token,
                std::optional<std::int64_t> signin_expires_at_ms, std::int64_t usable_until_ms,
                std::int64_t now_ms);
  void forget(const std::string& user_id, const std::string& provider);
  void clear() { entries_.clear(); }
  std::size_t size() const { return entries_.size(); }

 private:
  static std::string key(const std::string& user_id, const std::string& provider) {
    return provider + '\n' + user_id;
  }
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace bmcp::signin
