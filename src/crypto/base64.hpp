// Base64 (RFC 4648 §4, padded) and base64url (RFC 4648 §5, unpadded as JOSE and PKCE use
// it: RFC 7515 §2, RFC 7636 §3).
//
// Guarantees: encoding is total. Decoding is strict and canonical: it returns nullopt for
// any character outside the alphabet, whitespace, misplaced or missing padding (base64),
// any padding at all (base64url), an impossible length, or non-zero unused trailing bits
// (RFC 4648 §3.5). So each byte string has exactly one accepted encoding, which matters
// when an encoding is signed or compared (a JWT signature cannot be re-spelled).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bmcp::crypto {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

// True when every character is in the base64url alphabet (no padding). Cheap shape check.
bool is_base64url_text(std::string_view text);

}  // namespace bmcp::crypto
