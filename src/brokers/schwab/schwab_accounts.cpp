#include "brokers/schwab/schwab_accounts.hpp"

#include "effects/host_api.hpp"
#include "effects/when_all.hpp"

namespace bmcp::schwab {

std::string account_map_key(const std::string& user_id) { return "user:" + user_id + ":schwab:accounts"; }

std::vector<privacy::AccountIdentity> account_identities(const Json& numbers, const Json& preferences) {
  std::vector<privacy::AccountIdentity> out;
  if (!numbers.is_array()) return out;
  const Json* pref_accounts = find_member(preferences, "accounts");
  for (const Json& n : numbers) {
    privacy::AccountIdentity id;
    const Json* number = find_member(n, "accountNumber");
    if (!number) continue;
    id.account_number = number->is_string() ? number->get<std::string>() : number->is_number_integer() ? number->dump() : "";
    id.hash_value = get_string(n, "hashValue").value_or("");
    if (id.account_number.empty()) continue;
    if (pref_accounts && pref_accounts->is_array()) {
      for (const Json& p : *pref_accounts) {
        const Json* pn = find_member(p, "accountNumber");
        std::string pnum = !pn ? "" : pn->is_string() ? pn->get<std::string>() : pn->dump();
        if (pnum != id.account_number) continue;
        id.type = get_string(p, "nickName").value_or("");
        if (id.type.empty()) {
          std::string t = get_string(p, "type").value_or("");
          for (std::size_t i = 1; i < t.size(); ++i)
            if (t[i] >= 'A' && t[i] <= 'Z' && t != "IRA") t[i] = static_cast<char>(t[i] - 'A' + 'a');
          id.type = t;
        }
        break;
      }
    }
    out.push_back(std::move(id));
  }
  return out;
}

Task<std::optional<privacy::AccountDisplayMap>> SchwabAccounts::cached(Io& io, std::string user_id) const {
  co_return co_await cached_account_map(io, std::move(user_id));
}

Task<std::optional<privacy::AccountDisplayMap>> cached_account_map(Io& io, std::string user_id) {
  std::string key = account_map_key(user_id);
  auto text = co_await host::kv_get(io, std::move(key));
  if (!text) co_return std::nullopt;
  auto parsed = parse_json(*text);
  if (!parsed) co_return std::nullopt;
  co_return privacy::AccountDisplayMap::from_json(*parsed);
}

Task<LoadedAccounts> SchwabAccounts::load(Io& io, std::string user_id, bool rebuild) const {
  LoadedAccounts out;
  if (!rebuild) {
    out.map = co_await cached(io, user_id);
    if (out.map) co_return out;
  }
  upstream::UpstreamRequest numbers_req;
  numbers_req.path = "/trader/v1/accounts/accountNumbers";
  upstream::UpstreamRequest prefs_req;
  prefs_req.path = "/trader/v1/userPreference";
  std::vector<Task<upstream::UpstreamResult>> calls;
  calls.push_back(client_.send(io, user_id, std::move(numbers_req)));
  calls.push_back(client_.send(io, user_id, std::move(prefs_req)));
  std::vector<upstream::UpstreamResult> results = co_await when_all(std::move(calls));
  if (!results[0].ok) {
    out.error = results[0].error;
    co_return out;
  }
  // Without preferences the accounts are still named, just less nicely ("Account-...123").
  const Json no_prefs = Json::object();
  auto identities = account_identities(results[0].response.json, results[1].ok ? results[1].response.json : no_prefs);
  out.map = privacy::AccountDisplayMap::build(identities);
  out.rebuilt = true;
  std::string key = account_map_key(user_id);
  std::string value = dump_json(out.map->to_json());
  co_await host::kv_put(io, std::move(key), std::move(value), kAccountMapTtlSeconds);
  co_return out;
}

}  // namespace bmcp::schwab
