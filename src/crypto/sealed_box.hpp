// Authenticated encryption of a byte string into a compact, URL- and cookie-safe token:
//
//     v1.<base64url(iv)>.<base64url(ciphertext || tag)>
//
// with AES-256-GCM (NIST SP 800-38D) done by the host's CryptoPort. Used for broker tokens at
// rest in D1, the OAuth state sent to the broker, and the approval cookie.
//
// Guarantees:
// - `seal` is deterministic given its inputs: the caller supplies the 12-byte IV, taken from
//   `crypto.random_bytes(kSealedBoxIvBytes)`; an IV must never be reused with the same key.
// - `open` returns the plaintext only if the token was produced by `seal` with the same key
//   and the same `aad`; any tampering, truncation, wrong key, wrong aad, unknown version or
//   malformed token gives nullopt (no reason is given, on purpose: it would be an oracle).
// - `aad` (associated data) is authenticated but not stored: it names the purpose
//   ("oauth-state", "approval-cookie", "broker-token:<user>:<provider>"), so a token sealed
//   for one purpose cannot be replayed as another.
// - The token contains only [A-Za-z0-9-_.]: safe in a URL query, a cookie value, or SQL text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/crypto_port.hpp"

namespace bmcp::crypto {

inline constexpr std::size_t kSealedBoxKeyBytes = 32;
inline constexpr std::size_t kSealedBoxIvBytes = 12;
inline constexpr std::size_t kSealedBoxTagBytes = 16;

// nullopt when the key is not 32 bytes or the IV not 12 bytes.
std::optional<std::string> seal(const CryptoPort& crypto, std::string_view key,
                                std::string_view plaintext, std::string_view aad,
                                std::string_view iv);

std::optional<std::string> open(const CryptoPort& crypto, std::string_view key,
                                std::string_view token, std::string_view aad);

}  // namespace bmcp::crypto
