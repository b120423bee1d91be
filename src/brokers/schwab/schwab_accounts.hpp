// The person's Schwab accounts and the names the model knows them by. Built from
// GET /trader/v1/accounts/accountNumbers (number and hash) and GET /trader/v1/userPreference
// (nickname per account number); the kernel caches the map per user in KV
// (brokers/broker_accounts.hpp; numbers and hashes never leave the server).
#pragma once

#include "brokers/broker_profile.hpp"
#include "brokers/upstream/upstream_client.hpp"
#include "privacy/account_display_map.hpp"

#include <optional>
#include <vector>

namespace bmcp::schwab {

// One identity per entry of accountNumbers; the label is the account's nickname from the
// user preferences ("Individual", "Roth IRA"), else its preference type, else "Account".
std::vector<privacy::AccountIdentity> account_identities(const Json& account_numbers,
                                                         const Json& preferences);

}  // namespace bmcp::schwab
