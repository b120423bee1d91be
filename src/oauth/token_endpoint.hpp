// POST /token (RFC 6749 §3.2, OAuth 2.1 §4.1.3 and §4.3):
//
// authorization_code  The code is single use, lives kAuthorizationCodeLifetimeSeconds, and
//                     is bound to the client, the exact redirect URI, the PKCE challenge
//                     (S256 verifier required) and the resource. A replayed code revokes the
//                     grant it created (RFC 6749 §4.1.2: "SHOULD revoke … all tokens
//                     previously issued based on that authorization code").
// refresh_token       Rotated on every use. The previous token stays usable for
//                     kRefreshRetryGraceSeconds, so a client that lost the answer can retry;
//                     presenting it after that is treated as theft and revokes the grant.
//
// Access tokens are HS256 JWTs (oauth/access_token.hpp) for kAccessTokenLifetimeSeconds;
// refresh tokens are 256-bit random strings stored as hashes. Every answer is no-store.
// Errors are RFC 6749 §5.2: invalid_request, invalid_client (401), invalid_grant,
// unauthorized_client, unsupported_grant_type, invalid_scope, invalid_target (RFC 8707).
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "oauth/grant_cache.hpp"
#include "oauth/server_settings.hpp"

#include <optional>
#include <string>

namespace bmcp::oauth {

struct AccessTokenGrant {
  std::string user_id;
  std::string email;
  std::string client_id;
  std::string scope;
  std::string grant_id;
  std::string audience;  // the resource
  std::int64_t lifetime_seconds = kAccessTokenLifetimeSeconds;
};

// A signed access token; nullopt only when the secret is unusable.
std::optional<std::string> mint_access_token(const CryptoPort& crypto,
                                             const ServerSettings& settings,
                                             const ServerIdentity& identity,
                                             const AccessTokenGrant& grant,
                                             std::int64_t now_seconds);

// `cache` (may be null) forgets a grant this endpoint revokes.
Task<http::Response> token_endpoint(Io& io, const ServerSettings& settings,
                                    const http::Request& request, GrantCache* cache = nullptr);

}  // namespace bmcp::oauth
