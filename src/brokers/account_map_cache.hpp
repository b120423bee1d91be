// AccountMapCache: the account maps (broker_accounts.hpp) this isolate read or built
// recently, so a person's stream of tool calls does not read KV for the map on every call —
// the broker call that resolves an account and the output guard that scrubs the answer
// (app/account_output_guard.hpp) both ask for it, and `status` asked for nothing else.
//
// What it may cost: a map another isolate rebuilt (the person opened an account) is seen
// here within kTtlMs; until then the guard scrubs with the older map, and an account that
// map cannot place is still shortened by the field rules or the answer withheld
// (privacy/account_scrubber.hpp), and a tool call naming the new account rebuilds the map
// here at once. "No map cached" is remembered for kAbsentTtlMs only; a KV read that failed
// is not remembered at all. A map built here replaces the entry at once; a new sign-in
// through this isolate forgets every entry; and a KV read that was under way meanwhile (two
// calls of one person at once) does not put its older answer back: what a read learned is
// kept only if nothing was built or forgotten since it began. Bounded: at most kMaxEntries,
// expired entries go first.
// Owned by the App's Services; the core is single-threaded, so no locking.
#pragma once

#include "privacy/account_display_map.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace bmcp::brokers {

class AccountMapCache {
 public:
  static constexpr std::int64_t kTtlMs = 60'000;
  static constexpr std::int64_t kAbsentTtlMs = 10'000;
  static constexpr std::size_t kMaxEntries = 1024;

  // What was learned about one KV key: its map, or that there was none.
  struct Known {
    std::optional<privacy::AccountDisplayMap> map;
  };

  // nullopt when nothing is known about `key` now (KV must be read).
  std::optional<Known> find(const std::string& key, std::int64_t now_ms) const;
  // Counts what was built or forgotten: taken before a KV read, handed to remember_read.
  std::uint64_t changes() const { return changes_; }
  // What a KV read found under `key` (nullopt: nothing), kept unless a map was built or
  // the cache cleared since the read began (`changes_at_start`).
  void remember_read(const std::string& key, std::optional<privacy::AccountDisplayMap> map,
                     std::int64_t now_ms, std::uint64_t changes_at_start);
  // A map built here (and written to KV): it replaces whatever was known.
  void remember_built(const std::string& key, privacy::AccountDisplayMap map, std::int64_t now_ms);
  void clear() {
    entries_.clear();
    ++changes_;
  }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Known known;
    std::int64_t until_ms = 0;
  };
  void store(const std::string& key, std::optional<privacy::AccountDisplayMap> map,
             std::int64_t now_ms);
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t changes_ = 0;
};

}  // namespace bmcp::brokers
