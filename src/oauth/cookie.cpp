#include "oauth/cookie.hpp"

namespace bmcp::oauth {
namespace {

bool is_control(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7F;
}

std::string_view trim_optional_whitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
// "_" / "`" / "|" / "~" / DIGIT / ALPHA
bool is_token_char(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 6265 §4.1.1: cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
// (no CTLs, whitespace, DQUOTE, comma, semicolon or backslash).
bool is_cookie_octet(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte == 0x21 || (byte >= 0x23 && byte <= 0x2B) || (byte >= 0x2D && byte <= 0x3A) ||
         (byte >= 0x3C && byte <= 0x5B) || (byte >= 0x5D && byte <= 0x7E);
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!is_token_char(c)) return false;
  return true;
}

}  // namespace

std::vector<Cookie> parse_cookie_header(std::string_view header_value) {
  std::vector<Cookie> cookies;
  if (header_value.size() > kMaxCookieHeaderBytes) return cookies;
  std::size_t start = 0;
  while (start <= header_value.size()) {
    std::size_t end = header_value.find(';', start);
    if (end == std::string_view::npos) end = header_value.size();
    std::string_view pair = trim_optional_whitespace(header_value.substr(start, end - start));
    start = end + 1;

    // RFC 6265 §5.2 steps as applied to a cookie-pair: no '=' means no cookie.
    std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    std::string_view name = trim_optional_whitespace(pair.substr(0, equals));
    std::string_view value = trim_optional_whitespace(pair.substr(equals + 1));
    if (name.empty()) continue;
    // RFC 6265 §4.1.1: a cookie-value may be wrapped in one pair of DQUOTEs.
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);

    bool has_control = false;
    for (char c : name) has_control = has_control || is_control(c);
    for (char c : value) has_control = has_control || is_control(c);
    if (has_control) continue;
    cookies.push_back(Cookie{std::string(name), std::string(value)});
  }
  return cookies;
}

std::optional<std::string> find_cookie(std::string_view header_value, std::string_view name) {
  for (Cookie& cookie : parse_cookie_header(header_value))
    if (cookie.name == name) return std::move(cookie.value);
  return std::nullopt;
}

std::optional<std::string> build_set_cookie(std::string_view name, std::string_view value,
                                            const SetCookieOptions& options) {
  // RFC 6265 §4.1.1: cookie-name = token; cookie-value = *cookie-octet.
  if (!is_token(name)) return std::nullopt;
  for (char c : value)
    if (!is_cookie_octet(c)) return std::nullopt;
  // RFC 6265 §4.1.1: path-value = <any CHAR except CTLs or ";">.
  if (options.path.empty() || options.path.front() != '/') return std::nullopt;
  for (char c : options.path)
    if (is_control(c) || c == ';' || static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
  // RFC 6265bis §4.1.2.7: SameSite is Strict, Lax or None; browsers drop a SameSite=None
  // cookie that is not Secure.
  const std::string& same_site = options.same_site;
  if (same_site != "Strict" && same_site != "Lax" && same_site != "None") return std::nullopt;
  if (same_site == "None" && !options.secure) return std::nullopt;

  std::string header(name);
  header.push_back('=');
  header.append(value);
  if (options.http_only) header.append("; HttpOnly");
  if (options.secure) header.append("; Secure");
  header.append("; SameSite=").append(same_site);
  header.append("; Path=").append(options.path);
  // RFC 6265 §5.2.2: a Max-Age of zero or less expires the cookie immediately.
  std::int64_t max_age = options.max_age_seconds > 0 ? options.max_age_seconds : 0;
  header.append("; Max-Age=").append(std::to_string(max_age));
  return header;
}

std::optional<std::string> build_clearing_set_cookie(std::string_view name,
                                                     const SetCookieOptions& options) {
  SetCookieOptions clearing = options;
  clearing.max_age_seconds = 0;
  return build_set_cookie(name, "", clearing);
}

std::string request_cookies(const http::Request& request) {
  std::string joined;
  for (const auto& [k, v] : request.headers)
    if (http::iequals(k, "Cookie")) joined += (joined.empty() ? "" : "; ") + v;
  return joined;
}

}  // namespace bmcp::oauth
