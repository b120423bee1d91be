// The OAuth client side of the broker leg: the URL that sends the person to the broker's
// login, the code exchange after it, refreshing, and finding out who signed in.
//
//   Schwab      authorize {SCHWAB_AUTH_BASE}/v1/oauth/authorize (PKCE S256), token endpoint
//               {SCHWAB_AUTH_BASE}/v1/oauth/token with HTTP Basic client authentication and
//               a form body; identity = userPreference streamerInfo[0].schwabClientCustomerId
//               (stable; the CorrelId changes with every login).
//   tastytrade  authorize TASTYTRADE_AUTH_URL, token endpoint {TASTYTRADE_API_BASE}/oauth/token
//               with client_secret in a JSON body and a User-Agent; identity = /customers/me
//               `external-id` and `email`.
//
// Nothing here logs or returns a token or secret in a message: `detail` names only the HTTP
// status and the broker's error code.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "signin/broker_settings.hpp"

#include <string>

namespace bmcp::signin {

std::string broker_authorize_url(const BrokerSettings& broker, std::string_view redirect_uri,
                                 std::string_view state, std::string_view code_challenge);

struct BrokerTokenResponse {
  enum class Outcome {
    Ok,
    Refused,      // the broker said no to this code or refresh token (invalid_grant & co.)
    Unavailable,  // no usable answer: network, timeout, 5xx, 429, malformed, bad client auth
  };
  Outcome outcome = Outcome::Unavailable;
  std::string access_token;
  std::string refresh_token;  // empty when the broker did not send one (keep the old one)
  std::string scope;
  std::int64_t expires_in_seconds = 0;
  std::string detail;  // for logs and error pages: never contains a token

  bool ok() const { return outcome == Outcome::Ok; }
};

// `code_verifier` may be empty (a sign-in that did not start here has no PKCE).
Task<BrokerTokenResponse> exchange_broker_code(Io& io, const SigninSettings& settings,
                                               const BrokerSettings& broker,
                                               const std::string& code,
                                               const std::string& redirect_uri,
                                               const std::string& code_verifier);

Task<BrokerTokenResponse> refresh_broker_tokens(Io& io, const SigninSettings& settings,
                                                const BrokerSettings& broker,
                                                const std::string& refresh_token);

struct BrokerIdentity {
  bool ok = false;
  std::string external_id;  // the stable identity at the broker
  std::string email;        // may be empty
  std::string detail;
};

Task<BrokerIdentity> identify_broker_user(Io& io, const SigninSettings& settings,
                                          const BrokerSettings& broker,
                                          const std::string& access_token);

// Default access-token lifetimes when the broker omits expires_in.
inline constexpr std::int64_t kSchwabAccessSeconds = 1800;
inline constexpr std::int64_t kSchwabRefreshSeconds = 7 * 24 * 3600;  // hard limit at Schwab
inline constexpr std::int64_t kTastytradeAccessSeconds = 900;

}  // namespace bmcp::signin
