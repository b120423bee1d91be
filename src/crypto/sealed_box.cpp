#include "crypto/sealed_box.hpp"

#include "crypto/base64.hpp"

namespace bmcp::crypto {
namespace {

// The version prefix lets the format change (another cipher, a key id) without ambiguity.
constexpr std::string_view kVersionPrefix = "v1.";

}  // namespace

std::optional<std::string> seal(const CryptoPort& crypto, std::string_view key,
                                std::string_view plaintext, std::string_view aad,
                                std::string_view iv) {
  if (key.size() != kSealedBoxKeyBytes || iv.size() != kSealedBoxIvBytes) return std::nullopt;
  std::optional<std::string> sealed = crypto.aes256gcm_seal(key, iv, plaintext, aad);
  if (!sealed) return std::nullopt;
  std::string token(kVersionPrefix);
  token.append(base64url_encode(iv)).push_back('.');
  token.append(base64url_encode(*sealed));
  return token;
}

std::optional<std::string> open(const CryptoPort& crypto, std::string_view key,
                                std::string_view token, std::string_view aad) {
  if (key.size() != kSealedBoxKeyBytes) return std::nullopt;
  if (token.substr(0, kVersionPrefix.size()) != kVersionPrefix) return std::nullopt;
  token.remove_prefix(kVersionPrefix.size());

  std::size_t dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::optional<std::string> iv = base64url_decode(token.substr(0, dot));
  std::optional<std::string> sealed = base64url_decode(token.substr(dot + 1));
  // A second '.' fails base64url decoding above, so there are exactly three parts.
  if (!iv || !sealed) return std::nullopt;
  if (iv->size() != kSealedBoxIvBytes || sealed->size() < kSealedBoxTagBytes) return std::nullopt;
  return crypto.aes256gcm_open(key, *iv, *sealed, aad);
}

}  // namespace bmcp::crypto
