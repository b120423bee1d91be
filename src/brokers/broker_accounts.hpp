// A person's account map at a broker, cached in KV: the display names the model knows the
// accounts by, and the numbers (and hashes) that never leave the server. Built from the
// broker's own listing (BrokerProfile::accounts_path), kept under
// `user:<id>:<broker>:accounts` for six hours, and rebuilt when a tool meets an account
// the cached map does not know (broker_call.hpp). With an AccountMapCache the maps this
// isolate read or built recently are used without reading KV (account_map_cache.hpp).
#pragma once

#include "brokers/account_map_cache.hpp"
#include "brokers/broker_profile.hpp"

#include <functional>
#include <optional>
#include <string>

namespace bmcp::brokers {

inline constexpr std::int64_t kAccountMapTtlSeconds = 6 * 3600;

// "user:<id>:schwab:accounts"
std::string account_map_key(Broker broker, std::string_view user_id);

struct LoadedAccounts {
  std::optional<privacy::AccountDisplayMap> map;
  upstream::UpstreamError error;  // when there is no map
  bool rebuilt = false;           // listed by the broker just now
};

// The person's cached map (no broker call); nullopt when none is cached or it is unreadable.
// `recent` (may be null): what this isolate knows already, and where what KV says is kept.
Task<std::optional<privacy::AccountDisplayMap>> cached_account_map(Io& io, Broker broker,
                                                                   std::string user_id,
                                                                   AccountMapCache* recent);

// The reader of one broker's cached maps, for the output guard (app/account_output_guard.hpp).
std::function<Task<std::optional<privacy::AccountDisplayMap>>(Io&, std::string)>
cached_account_reader(Broker broker, AccountMapCache* recent);

// The cached map, or a fresh one (and both caches updated) when there is none or `rebuild`.
Task<LoadedAccounts> load_account_map(Io& io, const BrokerProfile& profile,
                                      const upstream::UpstreamClient& client, std::string user_id,
                                      bool rebuild, AccountMapCache* recent);

}  // namespace bmcp::brokers
