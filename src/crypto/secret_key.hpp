// Parsing of the configured secrets the core is handed at start-up.
//
//   TOKEN_ENCRYPTION_KEY, COOKIE_ENCRYPTION_KEY: an AES-256 key, exactly 32 bytes, written
//     as 64 hex characters or as base64 / base64url (padded or not) of 32 bytes.
//   JWT_SECRET: an HMAC-SHA256 key given as text, at least 32 bytes (RFC 7518 §3.2: a key of
//     the same size as the hash output or larger MUST be used with HS256).
//
// Guarantees: surrounding whitespace (a trailing newline from `echo … | wrangler secret put`)
// is ignored; anything else that is not a usable key is refused with a message that names
// the variable and says how to make a good one. Messages never contain the secret itself,
// so they are safe to log.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bmcp::crypto {

inline constexpr std::size_t kEncryptionKeyBytes = 32;
inline constexpr std::size_t kMinSigningSecretBytes = 32;

struct KeyParseResult {
  std::optional<std::string> key;  // the raw key bytes, when usable
  std::string error;               // why not, otherwise (empty on success)

  bool ok() const { return key.has_value(); }
};

// For TOKEN_ENCRYPTION_KEY / COOKIE_ENCRYPTION_KEY.
KeyParseResult parse_encryption_key(std::string_view variable_name, std::string_view configured);

// For JWT_SECRET: the key is the text's bytes (its UTF-8 encoding, as
// `TextEncoder().encode(secret)`).
KeyParseResult parse_signing_secret(std::string_view variable_name, std::string_view configured);

}  // namespace bmcp::crypto
