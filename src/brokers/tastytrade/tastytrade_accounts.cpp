#include "brokers/tastytrade/tastytrade_accounts.hpp"

#include "brokers/tastytrade/tastytrade_api.hpp"
#include "effects/host_api.hpp"

namespace bmcp::tastytrade {

std::vector<privacy::AccountIdentity> account_identities(const Json& body) {
  std::vector<privacy::AccountIdentity> out;
  for (const Json& item : items_of(body)) {
    const Json* a = find_member(item, "account");
    const Json& acct = a ? *a : item;
    if (get_bool(acct, "is-closed").value_or(false)) continue;
    privacy::AccountIdentity id;
    id.account_number = get_string(acct, "account-number").value_or("");
    if (id.account_number.empty()) continue;
    id.type = get_string(acct, "account-type-name").value_or("");
    id.nickname = get_string(acct, "nickname").value_or("");
    out.push_back(std::move(id));
  }
  return out;
}

Task<std::optional<privacy::AccountDisplayMap>> cached_account_map(Io& io, std::string user_id) {
  std::string key = user_key(user_id, "accounts");
  auto text = co_await host::kv_get(io, std::move(key));
  if (!text) co_return std::nullopt;
  auto parsed = parse_json(*text);
  if (!parsed) co_return std::nullopt;
  co_return privacy::AccountDisplayMap::from_json(*parsed);
}

Task<LoadedAccounts> load_accounts(Io& io, const upstream::UpstreamClient& client, std::string user_id, bool rebuild) {
  LoadedAccounts out;
  std::string key = user_key(user_id, "accounts");
  if (!rebuild) {
    out.map = co_await cached_account_map(io, user_id);
    if (out.map) co_return out;
  }
  upstream::UpstreamRequest req;
  req.path = "/customers/me/accounts";
  upstream::UpstreamResult res = co_await client.send(io, user_id, std::move(req));
  if (!res.ok) {
    out.error = res.error;
    co_return out;
  }
  out.map = privacy::AccountDisplayMap::build(account_identities(res.response.json));
  out.rebuilt = true;
  std::string value = dump_json(out.map->to_json());
  co_await host::kv_put(io, std::move(key), std::move(value), kAccountMapTtlSeconds);
  co_return out;
}

}  // namespace bmcp::tastytrade
