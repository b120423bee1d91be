// Where and how this server signs a person in at each broker (the "broker leg" of the
// sign-in): the OAuth client credentials the deployment registered at Schwab and tastytrade,
// the broker's authorize and token endpoints, the API base used to identify the person, and
// the redirect URI the broker sends the browser back to. Built once from the configuration
// (app/config.cpp); a broker without credentials is disabled and never offered.
#pragma once

#include "signin/allowed_users.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace bmcp::signin {

struct BrokerSettings {
  std::string name;          // "schwab" | "tastytrade" (also the provider column in D1)
  std::string display_name;  // "Charles Schwab" | "tastytrade"
  bool enabled = false;      // client id and secret are configured
  std::string client_id;
  std::string client_secret;
  std::string api_base;       // e.g. https://api.schwabapi.com (no trailing slash)
  std::string authorize_url;  // the broker's login / consent page
  std::string token_url;      // the broker's token endpoint
  std::string redirect_uri;   // configured; empty means <issuer><callback_path>
  std::string callback_path;  // our route the broker redirects to
  std::string scope;          // requested at the broker, space-separated
};

struct SigninSettings {
  BrokerSettings schwab;
  BrokerSettings tastytrade;
  std::string token_key;  // TOKEN_ENCRYPTION_KEY: 32 raw bytes, seals broker tokens at rest
  std::string user_agent = "broker-mcp/0.1.0";
  AllowedUsers allowed_users;  // ALLOWED_USERS (allowed_users.hpp): empty admits everyone
  // TASTYTRADE_SIGN_IN=personal: tastytrade sign-in with the refresh token of a personal
  // grant (personal_grant.hpp) instead of the partner authorization-code flow.
  bool tastytrade_personal_grant = false;

  // The settings of an enabled broker by name, or nullptr.
  const BrokerSettings* enabled_broker(std::string_view name) const {
    if (name == schwab.name && schwab.enabled) return &schwab;
    if (name == tastytrade.name && tastytrade.enabled) return &tastytrade;
    return nullptr;
  }
  const BrokerSettings* broker(std::string_view name) const {
    if (name == schwab.name) return &schwab;
    if (name == tastytrade.name) return &tastytrade;
    return nullptr;
  }
  std::vector<const BrokerSettings*> enabled_brokers() const {
    std::vector<const BrokerSettings*> out;
    if (schwab.enabled) out.push_back(&schwab);
    if (tastytrade.enabled) out.push_back(&tastytrade);
    return out;
  }
};

// The redirect URI registered at the broker for this deployment: the configured one, or
// our callback route on the issuer's origin.
inline std::string broker_redirect_uri(const BrokerSettings& broker, std::string_view issuer) {
  if (!broker.redirect_uri.empty()) return broker.redirect_uri;
  return std::string(issuer) + broker.callback_path;
}

}  // namespace bmcp::signin
