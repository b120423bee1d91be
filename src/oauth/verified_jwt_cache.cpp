#include "oauth/verified_jwt_cache.hpp"

#include "base/bounded_cache.hpp"

namespace bmcp::oauth {

const VerifiedJwtCache::Verified* VerifiedJwtCache::find(const CryptoPort& crypto,
                                                         std::string_view signing_input,
                                                         std::string_view signature,
                                                         std::int64_t now) const {
  auto it = entries_.find(std::string(signing_input));
  if (it == entries_.end() || now >= it->second.until) return nullptr;
  if (!crypto.constant_time_equal(it->second.signature, signature)) return nullptr;
  return &it->second.verified;
}

void VerifiedJwtCache::remember(std::string_view signing_input, std::string_view signature,
                                Verified verified, std::int64_t now) {
  std::string key(signing_input);
  make_room_for(entries_, key, kMaxEntries, now, [](const Entry& e) { return e.until; });
  entries_[std::move(key)] = Entry{std::string(signature), std::move(verified), now + kTtlSeconds};
}

}  // namespace bmcp::oauth
