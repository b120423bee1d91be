// Opaque OAuth secrets we hand to MCP clients and look up later: refresh tokens (rotated on
// every use) and authorization codes (single use, minutes long).
//
// Guarantees: a secret is 256 random bits (RFC 6749 §10.10: guessing probability ≤ 2^-128;
// OAuth 2.1 §7.1.3), base64url-encoded, 43 characters. Only its SHA-256 (hex) is stored in
// D1, so a database leak yields nothing usable; lookups are by hash, so the comparison is a
// database equality on a value the attacker cannot steer (no timing side channel on the
// secret). A plain hash suffices because the input is uniformly random, not a password.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/crypto_port.hpp"

namespace bmcp::oauth {

inline constexpr std::size_t kOpaqueSecretRandomBytes = 32;
inline constexpr std::size_t kOpaqueSecretLength = 43;

struct OpaqueSecret {
  std::string value;     // given to the client once
  std::string hash_hex;  // what we store
};

// The secret for these random bytes; nullopt when fewer than 32 are given.
std::optional<OpaqueSecret> opaque_secret_from_random(const CryptoPort& crypto,
                                                      std::string_view random_bytes);

// Lowercase hex SHA-256 of the secret's text.
std::string hash_opaque_secret(const CryptoPort& crypto, std::string_view secret);

// Shape check before touching storage: exactly 43 base64url characters, canonical.
bool looks_like_opaque_secret(std::string_view secret);

OpaqueSecret generate_refresh_token(const CryptoPort& crypto);
OpaqueSecret generate_authorization_code(const CryptoPort& crypto);
std::string hash_refresh_token(const CryptoPort& crypto, std::string_view refresh_token);
std::string hash_authorization_code(const CryptoPort& crypto, std::string_view code);

}  // namespace bmcp::oauth
