// HS256 JSON Web Tokens (RFC 7515 JWS compact serialization, RFC 7519 JWT, RFC 7518 §3.2).
//
// Signing produces `base64url(header).base64url(claims).base64url(HMAC-SHA256)`.
// Verification accepts a token only if all of these hold, checked in this order:
//   1. exactly three segments, each strict base64url (RFC 7515 §7.1), token ≤ 16 KiB;
//   2. the header is a JSON object whose "alg" is exactly "HS256" — anything else ("none",
//      "HS384", "RS256", "hs256", missing, not a string) is refused before any signature
//      work, so the algorithm can never be chosen by the sender (RFC 8725 §2.1, §3.1);
//      no "crit" header (RFC 7515 §4.1.11: we understand no extensions); "typ" matches when
//      the caller names one;
//   3. the signature equals HMAC-SHA256(secret, header "." payload), compared in constant time;
//   4. the payload is a JSON object;
//   5. time and identity claims: "exp" (required unless told otherwise), "nbf", "iat" are
//      numbers and the token is inside its validity window given `now` and `leeway_seconds`;
//      "aud" (string or array) names the expected audience; "iss" equals the expected issuer;
//      "sub", "iss", "jti" when present are strings.
// Every failure is a typed JwtError with a short message fit for a log (it never echoes the
// token). No function reads a clock: `now` is a parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.hpp"
#include "crypto/crypto_port.hpp"
#include "oauth/verified_jwt_cache.hpp"

namespace bmcp::oauth {

enum class JwtError {
  None,
  Malformed,      // not three base64url segments, not JSON objects, "crit" present, too long
  BadAlgorithm,   // header "alg" is anything but "HS256"
  BadType,        // header "typ" is not the expected type
  BadSignature,   // HMAC does not match (tampered header/payload/signature, wrong key)
  Expired,        // now >= exp + leeway
  NotYetValid,    // now + leeway < nbf, or iat in the future beyond leeway
  WrongAudience,  // aud missing, or not naming the expected audience
  WrongIssuer,    // iss missing or different from the expected issuer
  InvalidClaim,   // a registered claim has the wrong JSON type, or a required one is missing
};

std::string_view jwt_error_name(JwtError error);

inline constexpr std::size_t kMaxJwtLength = 16 * 1024;

struct JwtExpectations {
  std::int64_t now = 0;             // seconds since the Unix epoch
  std::int64_t leeway_seconds = 0;  // tolerated clock skew, applied to exp, nbf and iat
  // RFC 7519 §4.1.3: when the token has "aud" and we cannot identify ourselves in it, it MUST
  // be rejected; so a token with "aud" fails when no audience is expected here.
  std::optional<std::string> audience;
  std::optional<std::string> issuer;
  // Header "typ" to require (compared case-insensitively, RFC 7515 §4.1.9), e.g. "at+jwt".
  std::optional<std::string> type;
  bool require_expiry = true;
};

struct JwtVerification {
  JwtError error = JwtError::None;
  std::string message;
  Json claims;  // the payload object; only meaningful when ok()

  bool ok() const { return error == JwtError::None; }
};

// nullopt when `claims` is not a JSON object or `secret` is empty.
std::optional<std::string> sign_jwt_hs256(const CryptoPort& crypto, std::string_view secret,
                                          const Json& claims, std::string_view type = "JWT");

// `verified` (may be null): tokens whose signature this isolate already checked; a token
// found there skips steps 1-4 (not the checks of step 2 that depend on `expectations`, nor
// step 5), and a token whose signature verifies is added (verified_jwt_cache.hpp).
JwtVerification verify_jwt_hs256(const CryptoPort& crypto, std::string_view secret,
                                 std::string_view token, const JwtExpectations& expectations,
                                 VerifiedJwtCache* verified = nullptr);

}  // namespace bmcp::oauth
