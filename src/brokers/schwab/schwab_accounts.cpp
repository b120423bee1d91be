#include "brokers/schwab/schwab_accounts.hpp"

#include "brokers/broker_accounts.hpp"

namespace bmcp::schwab {

std::vector<privacy::AccountIdentity> account_identities(const Json& numbers,
                                                         const Json& preferences) {
  std::vector<privacy::AccountIdentity> out;
  if (!numbers.is_array()) return out;
  const Json* pref_accounts = find_member(preferences, "accounts");
  for (const Json& n : numbers) {
    privacy::AccountIdentity id;
    const Json* number = find_member(n, "accountNumber");
    if (!number) continue;
    id.account_number = number->is_string()           ? number->get<std::string>()
                        : number->is_number_integer() ? number->dump()
                                                      : "";
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
            if (t[i] >= 'A' && t[i] <= 'Z' && t != "IRA")
              t[i] = static_cast<char>(t[i] - 'A' + 'a');
          id.type = t;
        }
        break;
      }
    }
    out.push_back(std::move(id));
  }
  return out;
}

}  // namespace bmcp::schwab
