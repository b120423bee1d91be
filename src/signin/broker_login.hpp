// Sending the person to their broker's sign-in once they approved the MCP client: a fresh
// PKCE verifier for the broker leg (RFC 7636 S256), and a sealed, expiring state
// (oauth/oauth_state.hpp) that carries the pending MCP authorization and that verifier back
// to our callback. The state is also bound to this browser: a random nonce inside it must
// match a short-lived cookie named after it (RFC 6749 §10.12), so a callback URL replayed in
// another browser is refused. Parallel sign-ins in one browser each get their own cookie.
#pragma once

#include "oauth/oauth_state.hpp"
#include "oauth/server_settings.hpp"
#include "signin/broker_settings.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bmcp::signin {

inline constexpr std::string_view kLoginCookiePrefix = "mcp-login-";

// The cookie that binds a login state to the browser: its name carries part of the nonce.
std::string login_cookie_name(std::string_view csrf_nonce);

// A new login state for `broker`: sealed (oauth/oauth_state.hpp), the Set-Cookie header binding it
// to this browser, and the S256 challenge of its PKCE verifier. nullopt when the state
// cannot be sealed (a misconfigured key).
struct LoginStart {
  std::string sealed_state;
  std::string set_cookie;
  std::string code_challenge;
};
std::optional<LoginStart> start_login(const CryptoPort& crypto, const oauth::ServerSettings& server,
                                      const BrokerSettings& broker,
                                      const oauth::PendingAuthorization& request,
                                      std::int64_t now_seconds);

// 302 to the broker's authorize page, with the login cookie and `extra_set_cookies`.
// A 500 page when the state cannot be sealed (a misconfigured key).
http::Response redirect_to_broker(const CryptoPort& crypto, const oauth::ServerSettings& server,
                                  const oauth::ServerIdentity& identity,
                                  const BrokerSettings& broker,
                                  const oauth::PendingAuthorization& request,
                                  std::int64_t now_seconds,
                                  const std::vector<std::string>& extra_set_cookies);

}  // namespace bmcp::signin
