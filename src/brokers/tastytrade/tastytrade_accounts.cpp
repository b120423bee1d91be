#include "brokers/tastytrade/tastytrade_accounts.hpp"

#include "brokers/tastytrade/tastytrade_api.hpp"
#include "brokers/broker_accounts.hpp"

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

}  // namespace bmcp::tastytrade
