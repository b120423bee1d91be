#include "crypto/secret_key.hpp"

#include <array>

#include "crypto/base64.hpp"
#include "crypto/hex.hpp"

namespace bmcp::crypto {
namespace {

constexpr std::string_view kHowToMakeOne = "generate one with `openssl rand -hex 32`";

std::string_view trim_whitespace(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

KeyParseResult failure(std::string_view variable_name, std::string_view reason) {
  KeyParseResult result;
  result.error.append(variable_name).append(" ").append(reason);
  return result;
}

// Accepts base64 and base64url, padded or not, without mixing the two alphabets.
std::optional<std::string> decode_any_base64(std::string_view text) {
  // RFC 4648 §4: at most two padding characters.
  for (int i = 0; i < 2 && !text.empty() && text.back() == '='; ++i) text.remove_suffix(1);
  bool has_standard = false, has_url = false;
  std::string url_form(text);
  for (char& c : url_form) {
    if (c == '+' || c == '/') {
      has_standard = true;
      c = (c == '+') ? '-' : '_';
    } else if (c == '-' || c == '_') {
      has_url = true;
    }
  }
  if (has_standard && has_url) return std::nullopt;
  return base64url_decode(url_form);
}

std::size_t distinct_byte_count(std::string_view bytes) {
  std::array<bool, 256> seen{};
  std::size_t count = 0;
  for (char c : bytes) {
    auto index = static_cast<unsigned char>(c);
    if (!seen[index]) {
      seen[index] = true;
      ++count;
    }
  }
  return count;
}

}  // namespace

KeyParseResult parse_encryption_key(std::string_view variable_name, std::string_view configured) {
  std::string_view text = trim_whitespace(configured);
  if (text.empty())
    return failure(variable_name, std::string("is not set; ").append(kHowToMakeOne));

  std::optional<std::string> key;
  // Hex first: 64 hex digits are also valid base64url text (of 48 bytes).
  if (text.size() == kEncryptionKeyBytes * 2) key = hex_decode(text);
  if (!key) key = decode_any_base64(text);
  if (!key)
    return failure(variable_name,
                   std::string("is neither hex nor base64; it must be 32 bytes written as 64 hex "
                               "characters or as base64; ")
                       .append(kHowToMakeOne));
  if (key->size() != kEncryptionKeyBytes)
    return failure(variable_name, std::string("decodes to ")
                                      .append(std::to_string(key->size()))
                                      .append(" bytes; an AES-256 key must be exactly 32 bytes; ")
                                      .append(kHowToMakeOne));
  // A key of one repeated byte (all zeros, all 'A's in base64) is a placeholder left in a
  // config file, not a secret.
  if (distinct_byte_count(*key) == 1)
    return failure(
        variable_name,
        std::string("is a placeholder (every byte is the same); ").append(kHowToMakeOne));

  KeyParseResult result;
  result.key = std::move(key);
  return result;
}

KeyParseResult parse_signing_secret(std::string_view variable_name, std::string_view configured) {
  std::string_view text = trim_whitespace(configured);
  if (text.empty())
    return failure(variable_name, std::string("is not set; ").append(kHowToMakeOne));
  // RFC 7518 §3.2: an HS256 key must be at least 256 bits.
  if (text.size() < kMinSigningSecretBytes)
    return failure(variable_name, std::string("is ")
                                      .append(std::to_string(text.size()))
                                      .append(" bytes long; an HS256 secret needs at least 32; ")
                                      .append(kHowToMakeOne));
  // Catches "aaaa…", "changemechangeme…" and similar low-entropy placeholders.
  if (distinct_byte_count(text) < 8)
    return failure(variable_name,
                   std::string("uses fewer than 8 distinct characters and is too easy to guess; ")
                       .append(kHowToMakeOne));
  KeyParseResult result;
  result.key = std::string(text);
  return result;
}

}  // namespace bmcp::crypto
