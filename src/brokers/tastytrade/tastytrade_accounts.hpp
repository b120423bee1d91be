// The person's tastytrade accounts and the names the model knows them by, from
// GET /customers/me/accounts (closed accounts left out); the kernel caches the map per user
// in KV (brokers/broker_accounts.hpp); account numbers never leave the server.
#pragma once

#include "brokers/broker_profile.hpp"
#include "brokers/upstream/upstream_client.hpp"
#include "privacy/account_display_map.hpp"

#include <optional>
#include <vector>

namespace bmcp::tastytrade {

std::vector<privacy::AccountIdentity> account_identities(const Json& accounts_body);

}  // namespace bmcp::tastytrade
