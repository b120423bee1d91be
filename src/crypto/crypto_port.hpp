// The cryptographic primitives the core uses, provided by the host.
// The core never implements a primitive itself: in the Worker these are
// node:crypto (BoringSSL inside workerd), in native tests OpenSSL
// (tests/support/openssl_crypto.*). Everything built on top (JWT, PKCE, sealed state and
// cookies, refresh-token hashing) lives in src/ and takes a `const CryptoPort&`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bmcp {

// Byte strings are carried in std::string (arbitrary bytes, not text).
class CryptoPort {
 public:
  virtual ~CryptoPort() = default;
  // SHA-256 digest, 32 bytes.
  virtual std::string sha256(std::string_view data) const = 0;
  // HMAC-SHA256 (RFC 2104), 32 bytes.
  virtual std::string hmac_sha256(std::string_view key, std::string_view data) const = 0;
  // AES-256-GCM with a 12-byte IV: returns ciphertext || 16-byte tag.
  // `key` must be 32 bytes and `iv` 12 bytes, otherwise nullopt.
  virtual std::optional<std::string> aes256gcm_seal(std::string_view key, std::string_view iv,
                                                    std::string_view plaintext,
                                                    std::string_view aad) const = 0;
  // Inverse of seal; nullopt when the tag does not verify (tampered or wrong key).
  virtual std::optional<std::string> aes256gcm_open(std::string_view key, std::string_view iv,
                                                    std::string_view sealed,
                                                    std::string_view aad) const = 0;
  // Cryptographically secure random bytes.
  virtual std::string random_bytes(std::size_t count) const = 0;
  // Equality in time independent of where the inputs differ.
  virtual bool constant_time_equal(std::string_view a, std::string_view b) const = 0;
};

}  // namespace bmcp
