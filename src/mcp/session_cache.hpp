// SessionCache: what this isolate learned from a session's Durable Object about the
// session (its SessionState), kept for a few seconds, so the requests of a session that
// need nothing but its record — ping, the lists, reads, completion, read-only tool calls —
// are served in the isolate that received them, without a hop to the object
// (session_in_isolate.hpp).
//
// What the record decides is checked from it on every request: the session's owner (a
// foreign session is 404 however fresh the record), its transport and whether it ended.
// Whatever changes a session through this isolate — DELETE, logging/setLevel, a
// subscription — forgets the record here at once and holds the
// session for kTtlMs: meanwhile every request of it goes to the object, so a record fetched
// while the change was still on its way is never served from. A change made through
// another isolate is seen within kTtlMs (the same bound as the grant cache, oauth/grant_cache.hpp).
// Bounded: at most kMaxEntries, expired entries go first. Owned by the App's Services; the core is
// single-threaded, so no locking.
#pragma once

#include "mcp/session_state.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace bmcp::mcp {

class SessionCache {
 public:
  static constexpr std::int64_t kTtlMs = 5'000;
  static constexpr std::size_t kMaxEntries = 1024;
  // A record whose client capabilities are larger than this is not kept (its session is
  // served by asking the object each time): the cache stays a few MB at most.
  static constexpr std::size_t kMaxCapabilitiesBytes = 4096;

  // The record of session `id` if it was learned less than kTtlMs ago.
  const SessionState* find(const std::string& id, std::int64_t now_ms) const;
  // Keeps what requests are served from (clientInfo and subscriptions are dropped).
  void remember(SessionState state, std::int64_t now_ms);
  // A change to session `id` is on its way to its object: the record is dropped, and
  // `held` answers true for kTtlMs.
  void hold(const std::string& id, std::int64_t now_ms);
  bool held(const std::string& id, std::int64_t now_ms) const;
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    SessionState state;
    std::int64_t until_ms = 0;
  };
  std::unordered_map<std::string, Entry> entries_;
  std::unordered_map<std::string, std::int64_t> holds_;  // session id → until
};

}  // namespace bmcp::mcp
