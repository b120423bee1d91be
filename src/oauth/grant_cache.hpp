// GrantCache: what the bearer check learned from D1 about a grant, kept for a few seconds
// in this instance, so an MCP client's stream of requests does not cost a D1 round trip
// each (the dominant cost of an authenticated request).
//
// Only "alive, and the person's broker sign-in usable" is remembered, for kTtlMs. Whatever
// ends a grant in this instance — revocation, a replayed code, a reused refresh token, the
// broker refusing the person's refresh token — forgets it here at once; in other instances
// the change is seen within kTtlMs. Bounded: at most kMaxEntries, expired entries go first.
// Owned by the App's Services; the core is single-threaded, so no locking.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

namespace bmcp::oauth {

class GrantCache {
 public:
  static constexpr std::int64_t kTtlMs = 10'000;
  static constexpr std::size_t kMaxEntries = 4096;

  bool is_live(const std::string& grant_id, const std::string& user_id, std::int64_t now_ms) const;
  void remember_live(const std::string& grant_id, const std::string& user_id, std::int64_t now_ms);
  void forget_grant(const std::string& grant_id);
  void forget_user(const std::string& user_id);
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string user_id;
    std::int64_t until_ms = 0;
  };
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace bmcp::oauth
