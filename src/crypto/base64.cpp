#include "crypto/base64.hpp"

#include <array>
#include <cstdint>

namespace bmcp::crypto {
namespace {

constexpr std::string_view kStandardAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::int8_t kInvalid = -1;

// Reverse lookup built at compile time, so decoding needs no mutable global state.
constexpr std::array<std::int8_t, 256> reverse_table(std::string_view alphabet) {
  std::array<std::int8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  return table;
}

constexpr auto kStandardReverse = reverse_table(kStandardAlphabet);
constexpr auto kUrlReverse = reverse_table(kUrlAlphabet);

std::string encode(std::string_view bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t group = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out.push_back(alphabet[(group >> 18) & 63]);
    out.push_back(alphabet[(group >> 12) & 63]);
    out.push_back(alphabet[(group >> 6) & 63]);
    out.push_back(alphabet[group & 63]);
  }
  std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    std::uint32_t group = byte(i) << 16;
    out.push_back(alphabet[(group >> 18) & 63]);
    out.push_back(alphabet[(group >> 12) & 63]);
    if (pad) out.append("==");
  } else if (rest == 2) {
    std::uint32_t group = (byte(i) << 16) | (byte(i + 1) << 8);
    out.push_back(alphabet[(group >> 18) & 63]);
    out.push_back(alphabet[(group >> 12) & 63]);
    out.push_back(alphabet[(group >> 6) & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

// Decodes unpadded text in the given alphabet.
std::optional<std::string> decode_unpadded(std::string_view text,
                                           const std::array<std::int8_t, 256>& reverse) {
  // RFC 4648 §4: the final quantum carries 8 or 16 bits, i.e. 2 or 3 characters; a single
  // leftover character cannot encode a whole byte.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t accumulator = 0;
  int bits = 0;
  for (char c : text) {
    std::int8_t value = reverse[static_cast<unsigned char>(c)];
    if (value == kInvalid) return std::nullopt;
    accumulator = (accumulator << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((accumulator >> bits) & 0xFF));
    }
  }
  // RFC 4648 §3.5: the pad bits of the last character must be zero; otherwise several
  // texts would decode to the same bytes.
  if (bits > 0 && (accumulator & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  return encode(bytes, kStandardAlphabet, /*pad=*/true);
}

std::string base64url_encode(std::string_view bytes) {
  return encode(bytes, kUrlAlphabet, /*pad=*/false);
}

std::optional<std::string> base64_decode(std::string_view text) {
  // RFC 4648 §4: padded output is always a whole number of 4-character groups, with at most
  // two '=' and only at the very end.
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  return decode_unpadded(text.substr(0, text.size() - padding), kStandardReverse);
}

std::optional<std::string> base64url_decode(std::string_view text) {
  // RFC 7515 §2 / RFC 7636 §3: base64url "with all trailing '=' characters omitted"; a '='
  // is outside the alphabet and is rejected like any other stray character.
  return decode_unpadded(text, kUrlReverse);
}

bool is_base64url_text(std::string_view text) {
  for (char c : text)
    if (kUrlReverse[static_cast<unsigned char>(c)] == kInvalid) return false;
  return true;
}

}  // namespace bmcp::crypto
