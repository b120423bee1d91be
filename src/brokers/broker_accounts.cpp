#include "brokers/broker_accounts.hpp"

#include "effects/host_api.hpp"
#include "effects/when_all.hpp"

namespace bmcp::brokers {

std::string account_map_key(Broker broker, std::string_view user_id) {
  std::string key = "user:";
  key += user_id;
  key += ':';
  key += broker_id(broker);
  key += ":accounts";
  return key;
}

namespace {

std::optional<privacy::AccountDisplayMap> read_map(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  auto parsed = parse_json(*text);
  if (!parsed) return std::nullopt;
  return privacy::AccountDisplayMap::from_json(*parsed);
}

}  // namespace

Task<std::optional<privacy::AccountDisplayMap>> cached_account_map(Io& io, Broker broker,
                                                                   std::string user_id,
                                                                   AccountMapCache* recent) {
  std::string key = account_map_key(broker, user_id);
  if (recent)
    if (std::optional<AccountMapCache::Known> known = recent->find(key, io.now_ms()))
      co_return std::move(known->map);
  const std::uint64_t changes = recent ? recent->changes() : 0;
  host::KvRead read = co_await host::kv_read(io, key);
  std::optional<privacy::AccountDisplayMap> map = read_map(read.value);
  // A read that failed says nothing about the key: the next call asks KV again.
  if (recent && read.ok) recent->remember_read(key, map, io.now_ms(), changes);
  co_return map;
}

std::function<Task<std::optional<privacy::AccountDisplayMap>>(Io&, std::string)>
cached_account_reader(Broker broker, AccountMapCache* recent) {
  return [broker, recent](Io& io, std::string user_id) {
    return cached_account_map(io, broker, std::move(user_id), recent);
  };
}

namespace {

// The broker's listing of the person's accounts: its accounts path and, at the same time,
// its names path.
Task<AccountListing> list_accounts(Io& io, const BrokerProfile& profile,
                                   const upstream::UpstreamClient& client, std::string user_id) {
  std::vector<Task<upstream::UpstreamResult>> calls;
  for (const char* path : {profile.accounts_path, profile.account_names_path}) {
    if (!path) continue;
    upstream::UpstreamRequest r;
    r.path = path;
    calls.push_back(client.send(io, user_id, std::move(r)));
  }
  std::vector<upstream::UpstreamResult> results = co_await when_all(std::move(calls));
  if (!results[0].ok) co_return AccountListing::failed(results[0].error);
  const Json no_names = Json::object();
  const Json& names = results.size() > 1 && results[1].ok ? results[1].response.json : no_names;
  co_return AccountListing::of(profile.account_identities(results[0].response.json, names));
}

}  // namespace

Task<LoadedAccounts> load_account_map(Io& io, const BrokerProfile& profile,
                                      const upstream::UpstreamClient& client, std::string user_id,
                                      bool rebuild, AccountMapCache* recent) {
  LoadedAccounts out;
  if (!rebuild) {
    out.map = co_await cached_account_map(io, profile.broker, user_id, recent);
    if (out.map) co_return out;
  }
  AccountListing listing = co_await list_accounts(io, profile, client, user_id);
  if (!listing.ok()) {
    out.error = std::move(listing.error());
    co_return out;
  }
  out.map = privacy::AccountDisplayMap::build(listing.value());
  out.rebuilt = true;
  std::string key = account_map_key(profile.broker, user_id);
  std::string value = dump_json(out.map->to_json());
  // This isolate uses the new map at once, whether or not KV took it.
  if (recent) recent->remember_built(key, *out.map, io.now_ms());
  co_await host::kv_put(io, std::move(key), std::move(value), kAccountMapTtlSeconds);
  co_return out;
}

}  // namespace bmcp::brokers
