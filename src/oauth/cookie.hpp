// Reading the Cookie request header and writing Set-Cookie values (RFC 6265).
//
// Guarantees:
// - Parsing is lenient the way user agents' output requires (RFC 6265 §5.4: pairs joined by
//   "; ") but never trusts the input: pairs without '=' or with an empty name are skipped,
//   control characters disqualify a pair, a value in double quotes is unquoted (§4.1.1), and
//   a header over kMaxCookieHeaderBytes is ignored as a whole. Values are not decoded: what
//   we store (sealed_box tokens) is already cookie-safe.
// - Building refuses (nullopt) a name that is not an RFC 9110 token, a value with bytes
//   outside cookie-octet (§4.1.1), or an attribute that would break the header, so a value
//   can never inject attributes. Defaults are the safe ones: HttpOnly; Secure; SameSite=Lax;
//   Path=/.
#pragma once

#include "http/http_message.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmcp::oauth {

inline constexpr std::size_t kMaxCookieHeaderBytes = 16 * 1024;

struct Cookie {
  std::string name;
  std::string value;
};

// Every well-formed pair, in header order (duplicates kept: a browser sends one per path).
std::vector<Cookie> parse_cookie_header(std::string_view header_value);

// The value of the first cookie named `name`, or nullopt.
std::optional<std::string> find_cookie(std::string_view header_value, std::string_view name);

// Every Cookie header of a request joined into one list (HTTP/2 may split them, RFC 9113
// §8.2.3), for find_cookie.
std::string request_cookies(const http::Request& request);

struct SetCookieOptions {
  std::int64_t max_age_seconds = 0;  // 0 (or less) deletes the cookie at once
  std::string path = "/";
  std::string same_site = "Lax";  // "Strict", "Lax" or "None" (None requires secure)
  bool http_only = true;
  bool secure = true;
};

std::optional<std::string> build_set_cookie(std::string_view name, std::string_view value,
                                            const SetCookieOptions& options = {});

// A Set-Cookie value that removes the cookie (empty value, Max-Age=0, same attributes).
std::optional<std::string> build_clearing_set_cookie(std::string_view name,
                                                     const SetCookieOptions& options = {});

}  // namespace bmcp::oauth
