#include "oauth/refresh_token.hpp"

#include "crypto/base64.hpp"
#include "crypto/hex.hpp"

namespace bmcp::oauth {

std::optional<OpaqueSecret> opaque_secret_from_random(const CryptoPort& crypto,
                                                      std::string_view random_bytes) {
  if (random_bytes.size() < kOpaqueSecretRandomBytes) return std::nullopt;
  OpaqueSecret secret;
  secret.value = crypto::base64url_encode(random_bytes.substr(0, kOpaqueSecretRandomBytes));
  secret.hash_hex = hash_opaque_secret(crypto, secret.value);
  return secret;
}

std::string hash_opaque_secret(const CryptoPort& crypto, std::string_view secret) {
  return crypto::hex_encode(crypto.sha256(secret));
}

bool looks_like_opaque_secret(std::string_view secret) {
  if (secret.size() != kOpaqueSecretLength) return false;
  std::optional<std::string> bytes = crypto::base64url_decode(secret);
  return bytes && bytes->size() == kOpaqueSecretRandomBytes;
}

namespace {
OpaqueSecret generate(const CryptoPort& crypto) {
  std::string random = crypto.random_bytes(kOpaqueSecretRandomBytes);
  // random_bytes returns exactly the count asked for, so this always has a value; the
  // fallback only keeps the function total.
  std::optional<OpaqueSecret> secret = opaque_secret_from_random(crypto, random);
  return secret ? std::move(*secret) : OpaqueSecret{};
}
}  // namespace

OpaqueSecret generate_refresh_token(const CryptoPort& crypto) { return generate(crypto); }
OpaqueSecret generate_authorization_code(const CryptoPort& crypto) { return generate(crypto); }

std::string hash_refresh_token(const CryptoPort& crypto, std::string_view refresh_token) {
  return hash_opaque_secret(crypto, refresh_token);
}

std::string hash_authorization_code(const CryptoPort& crypto, std::string_view code) {
  return hash_opaque_secret(crypto, code);
}

}  // namespace bmcp::oauth
