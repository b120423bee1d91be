// The access tokens this server issues to MCP clients: short-lived HS256 JWTs signed with
// JWT_SECRET, with a session JWT's claims (sub, email, iat, exp) plus what an OAuth
// 2.1 resource server needs (RFC 9068 §2.2): iss, aud = the MCP resource URL (RFC 8707),
// scope, client_id, jti, and gid (the grant the token belongs to, so revoking a grant can
// revoke its tokens).
//
// Guarantees: `verify_access_token` accepts a token only if it passes every check of
// verify_jwt_hs256 with typ "at+jwt" (RFC 9068 §2.1, so no other JWT signed with the same
// secret can pass as an access token), our issuer, our audience (RFC 8707 / MCP
// authorization: tokens for other resources MUST be rejected), and carries every required
// claim with the right type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/crypto_port.hpp"
#include "oauth/jwt.hpp"

namespace bmcp::oauth {

inline constexpr std::string_view kAccessTokenType = "at+jwt";

struct AccessTokenClaims {
  std::string subject;          // sub: our user id (the broker account identity)
  std::string email;            // email: optional, empty when unknown
  std::string issuer;           // iss: our authorization server's issuer URL
  std::string audience;         // aud: the MCP resource URL
  std::string client_id;        // client_id: the MCP client the token was issued to
  std::string scope;            // scope: space-separated
  std::string grant_id;         // gid
  std::string token_id;         // jti
  std::int64_t issued_at = 0;   // iat, seconds since the Unix epoch
  std::int64_t expires_at = 0;  // exp
};

Json access_token_claims_to_json(const AccessTokenClaims& claims);

// nullopt when `secret` is empty.
std::optional<std::string> issue_access_token(const CryptoPort& crypto, std::string_view secret,
                                              const AccessTokenClaims& claims);

struct AccessTokenVerification {
  JwtError error = JwtError::None;
  std::string message;
  AccessTokenClaims claims;  // only meaningful when ok()

  bool ok() const { return error == JwtError::None; }
};

AccessTokenVerification verify_access_token(const CryptoPort& crypto, std::string_view secret,
                                            std::string_view token,
                                            std::string_view expected_issuer,
                                            std::string_view expected_audience, std::int64_t now,
                                            std::int64_t leeway_seconds = 0,
                                            VerifiedJwtCache* remembered = nullptr);

}  // namespace bmcp::oauth
