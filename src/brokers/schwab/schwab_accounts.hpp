// The person's Schwab accounts and the names the model knows them by. Built from
// GET /trader/v1/accounts/accountNumbers (number and hash) and GET /trader/v1/userPreference
// (nickname per account number), cached per user in KV under
// `user:<id>:schwab:accounts` (numbers and hashes never leave the server), and rebuilt when
// a tool sees an account the cached map does not know.
#pragma once

#include "brokers/upstream/upstream_client.hpp"
#include "privacy/account_display_map.hpp"

#include <optional>
#include <vector>

namespace bmcp::schwab {

inline constexpr std::int64_t kAccountMapTtlSeconds = 6 * 3600;

std::string account_map_key(const std::string& user_id);

// One identity per entry of accountNumbers; the label is the account's nickname from the
// user preferences ("Individual", "Roth IRA"), else its preference type, else "Account".
std::vector<privacy::AccountIdentity> account_identities(const Json& account_numbers, const Json& preferences);

// The person's cached map (no Schwab call); nullopt when none is cached.
Task<std::optional<privacy::AccountDisplayMap>> cached_account_map(Io& io, std::string user_id);

struct LoadedAccounts {
  std::optional<privacy::AccountDisplayMap> map;
  upstream::UpstreamError error;  // when there is no map
  bool rebuilt = false;           // fetched from Schwab just now
};

class SchwabAccounts {
 public:
  explicit SchwabAccounts(const upstream::UpstreamClient& client) : client_(client) {}
  // The cached map, or a fresh one (and the cache updated) when there is none or
  // `rebuild` is set.
  Task<LoadedAccounts> load(Io& io, std::string user_id, bool rebuild) const;
  // The cached map only (no Schwab call).
  Task<std::optional<privacy::AccountDisplayMap>> cached(Io& io, std::string user_id) const;

 private:
  const upstream::UpstreamClient& client_;
};

}  // namespace bmcp::schwab
