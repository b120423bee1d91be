// Hexadecimal (RFC 4648 §8, "base16") for digests and configured keys.
//
// Guarantees: encoding is lowercase. Decoding accepts either case, requires an even length,
// and returns nullopt on any non-hex character.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bmcp::crypto {

std::string hex_encode(std::string_view bytes);
std::optional<std::string> hex_decode(std::string_view text);

}  // namespace bmcp::crypto
