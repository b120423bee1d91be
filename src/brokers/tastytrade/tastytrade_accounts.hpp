// The person's tastytrade accounts and the names the model knows them by, from
// GET /customers/me/accounts (closed accounts left out), cached per user in KV under
// `user:<id>:tastytrade:accounts`; account numbers never leave the server.
#pragma once

#include "brokers/upstream/upstream_client.hpp"
#include "privacy/account_display_map.hpp"

#include <optional>
#include <vector>

namespace bmcp::tastytrade {

inline constexpr std::int64_t kAccountMapTtlSeconds = 6 * 3600;

std::vector<privacy::AccountIdentity> account_identities(const Json& accounts_body);

// The person's cached map (no tastytrade call); nullopt when none is cached.
Task<std::optional<privacy::AccountDisplayMap>> cached_account_map(Io& io, std::string user_id);

struct LoadedAccounts {
  std::optional<privacy::AccountDisplayMap> map;
  upstream::UpstreamError error;  // when there is no map
  bool rebuilt = false;
};

Task<LoadedAccounts> load_accounts(Io& io, const upstream::UpstreamClient& client, std::string user_id, bool rebuild);

}  // namespace bmcp::tastytrade
