#include "oauth/pkce.hpp"

#include "crypto/base64.hpp"

namespace bmcp::oauth {
namespace {

// RFC 7636 §4.1: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

bool is_valid_code_verifier(std::string_view verifier) {
  // RFC 7636 §4.1: minimum length 43 characters, maximum 128.
  if (verifier.size() < kMinCodeVerifierLength || verifier.size() > kMaxCodeVerifierLength)
    return false;
  for (char c : verifier)
    if (!is_unreserved(c)) return false;
  return true;
}

bool is_valid_s256_code_challenge(std::string_view challenge) {
  // RFC 7636 §4.2: an unpadded base64url SHA-256 digest is always 43 characters; strict
  // decoding also rejects a non-canonical last character.
  if (challenge.size() != kS256CodeChallengeLength) return false;
  std::optional<std::string> digest = crypto::base64url_decode(challenge);
  return digest && digest->size() == 32;
}

std::string s256_code_challenge(const CryptoPort& crypto, std::string_view verifier) {
  return crypto::base64url_encode(crypto.sha256(verifier));
}

bool verify_s256_code_challenge(const CryptoPort& crypto, std::string_view verifier,
                                std::string_view challenge) {
  if (!is_valid_code_verifier(verifier) || !is_valid_s256_code_challenge(challenge)) return false;
  // RFC 7636 §4.6: compare the recomputed challenge with the stored one; constant time so
  // the comparison leaks nothing about how close a guess was.
  return crypto.constant_time_equal(s256_code_challenge(crypto, verifier), challenge);
}

std::optional<std::string> code_verifier_from_random(std::string_view random_bytes) {
  if (random_bytes.size() < kCodeVerifierRandomBytes) return std::nullopt;
  return crypto::base64url_encode(random_bytes.substr(0, kCodeVerifierRandomBytes));
}

std::string generate_code_verifier(const CryptoPort& crypto) {
  return crypto::base64url_encode(crypto.random_bytes(kCodeVerifierRandomBytes));
}

}  // namespace bmcp::oauth
