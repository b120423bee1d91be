// Proof Key for Code Exchange (RFC 7636), S256 only: OAuth 2.1 and the MCP authorization
// spec require S256, and "plain" would put the secret in the front channel.
//
// Used on both legs: we verify MCP clients' verifiers at /token, and we create our own
// verifier and challenge for the broker login.
//
// Guarantees: a verifier is accepted only if it is 43..128 characters of the unreserved set
// (RFC 7636 §4.1); a challenge only if it is exactly 43 base64url characters (the encoding of
// a 32-byte SHA-256 digest, §4.2); verification compares in constant time (§4.6).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/crypto_port.hpp"

namespace bmcp::oauth {

inline constexpr std::size_t kMinCodeVerifierLength = 43;
inline constexpr std::size_t kMaxCodeVerifierLength = 128;
inline constexpr std::size_t kS256CodeChallengeLength = 43;
inline constexpr std::size_t kCodeVerifierRandomBytes = 32;

bool is_valid_code_verifier(std::string_view verifier);
bool is_valid_s256_code_challenge(std::string_view challenge);

// RFC 7636 §4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))).
std::string s256_code_challenge(const CryptoPort& crypto, std::string_view verifier);

// RFC 7636 §4.6: false for an invalid verifier or challenge, or a mismatch.
bool verify_s256_code_challenge(const CryptoPort& crypto, std::string_view verifier,
                                std::string_view challenge);

// RFC 7636 §4.1 (recommended form): base64url of 32 random octets, 43 characters.
// nullopt when fewer than 32 bytes are given.
std::optional<std::string> code_verifier_from_random(std::string_view random_bytes);
std::string generate_code_verifier(const CryptoPort& crypto);

}  // namespace bmcp::oauth
