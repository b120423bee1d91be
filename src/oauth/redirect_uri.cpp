#include "oauth/redirect_uri.hpp"

#include <optional>

namespace bmcp::oauth {
namespace {

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  return true;
}

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 3986 §2: unreserved, reserved (gen-delims and sub-delims) or '%'.
bool is_uri_char(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  return std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(c) != std::string_view::npos;
}

// RFC 3986 §3.2.2: reg-name = *( unreserved / pct-encoded / sub-delims )
bool is_reg_name_char(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  return std::string_view("-._~%!$&'()*+,;=").find(c) != std::string_view::npos;
}

struct UriParts {
  std::string_view scheme;
  bool has_authority = false;
  bool has_userinfo = false;
  std::string_view host;
  std::string_view port;  // digits, empty when absent
  std::string_view path;
  bool has_query = false;
  std::string_view query;
  bool has_fragment = false;
};

bool all_characters_valid(std::string_view uri) {
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (!is_uri_char(uri[i])) return false;
    if (uri[i] == '%') {
      // RFC 3986 §2.1: pct-encoded = "%" HEXDIG HEXDIG
      if (i + 2 >= uri.size() || !is_hex_digit(uri[i + 1]) || !is_hex_digit(uri[i + 2]))
        return false;
    }
  }
  return true;
}

// RFC 3986 §3: scheme ":" hier-part [ "?" query ] [ "#" fragment ]. Expects characters
// already checked; NotAbsolute when there is no scheme (a relative reference).
enum class ParseFailure { None, NotAbsolute, Malformed };

ParseFailure split_uri(std::string_view uri, UriParts& parts) {
  std::size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0) return ParseFailure::NotAbsolute;
  // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  parts.scheme = uri.substr(0, colon);
  if (!is_alpha(parts.scheme[0])) return ParseFailure::NotAbsolute;
  for (char c : parts.scheme)
    if (!(is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'))
      return ParseFailure::NotAbsolute;

  std::string_view rest = uri.substr(colon + 1);
  std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    parts.has_fragment = true;
    rest = rest.substr(0, hash);
  }
  std::size_t question = rest.find('?');
  if (question != std::string_view::npos) {
    parts.has_query = true;
    parts.query = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  if (rest.substr(0, 2) == "//") {
    parts.has_authority = true;
    rest.remove_prefix(2);
    std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    parts.path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);

    // RFC 3986 §3.2.1: userinfo ends at the last '@' of the authority.
    std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      parts.has_userinfo = true;
      authority.remove_prefix(at + 1);
    }
    std::string_view host_and_port = authority;
    if (!host_and_port.empty() && host_and_port.front() == '[') {
      // RFC 3986 §3.2.2: IP-literal = "[" ( IPv6address / IPvFuture ) "]"; we accept IPv6
      // text only (hex digits, ':' and '.' for an embedded IPv4).
      std::size_t close = host_and_port.find(']');
      if (close == std::string_view::npos) return ParseFailure::Malformed;
      parts.host = host_and_port.substr(0, close + 1);
      for (char c : parts.host.substr(1, parts.host.size() - 2))
        if (!(is_hex_digit(c) || c == ':' || c == '.')) return ParseFailure::Malformed;
      if (parts.host.size() == 2) return ParseFailure::Malformed;
      host_and_port.remove_prefix(close + 1);
      if (!host_and_port.empty() && host_and_port.front() != ':') return ParseFailure::Malformed;
    } else {
      std::size_t port_colon = host_and_port.find(':');
      parts.host = host_and_port.substr(0, port_colon);
      for (char c : parts.host)
        if (!is_reg_name_char(c)) return ParseFailure::Malformed;
      host_and_port = port_colon == std::string_view::npos ? std::string_view{}
                                                           : host_and_port.substr(port_colon);
    }
    if (!host_and_port.empty()) {
      // RFC 3986 §3.2.3: port = *DIGIT; we also want it to be a real TCP port.
      parts.port = host_and_port.substr(1);
      if (parts.port.empty() || parts.port.size() > 5) return ParseFailure::Malformed;
      unsigned value = 0;
      for (char c : parts.port) {
        if (!is_digit(c)) return ParseFailure::Malformed;
        value = value * 10 + static_cast<unsigned>(c - '0');
      }
      if (value > 65535) return ParseFailure::Malformed;
    }
  } else {
    parts.path = rest;
  }
  return ParseFailure::None;
}

bool is_loopback_ip_literal(std::string_view host) {
  return host == "127.0.0.1" || host == "[::1]";
}

bool is_loopback_host(std::string_view host) {
  return is_loopback_ip_literal(host) || equals_ignoring_ascii_case(host, "localhost");
}

// Schemes that run script or reach local resources in a browser: never a redirect target.
bool is_dangerous_scheme(std::string_view scheme) {
  for (std::string_view dangerous : {"javascript", "data", "vbscript", "file", "blob", "about",
                                     "filesystem", "view-source", "ws", "wss", "ftp"})
    if (equals_ignoring_ascii_case(scheme, dangerous)) return true;
  return false;
}

RedirectUriCheck refuse(RedirectUriError error, std::string_view message) {
  RedirectUriCheck check;
  check.error = error;
  check.message = std::string(message);
  return check;
}

}  // namespace

RedirectUriCheck validate_redirect_uri(std::string_view uri, const RedirectUriPolicy& policy) {
  if (uri.empty()) return refuse(RedirectUriError::NotAbsolute, "redirect_uri is empty");
  if (uri.size() > kMaxRedirectUriLength)
    return refuse(RedirectUriError::TooLong, "redirect_uri is too long");
  if (!all_characters_valid(uri))
    return refuse(RedirectUriError::Malformed, "redirect_uri has characters not allowed in a URI");
  UriParts parts;
  switch (split_uri(uri, parts)) {
    case ParseFailure::NotAbsolute:
      return refuse(RedirectUriError::NotAbsolute, "redirect_uri must be an absolute URI");
    case ParseFailure::Malformed:
      return refuse(RedirectUriError::Malformed, "redirect_uri has a malformed host or port");
    case ParseFailure::None: break;
  }
  // RFC 6749 §3.1.2: "The endpoint URI MUST NOT include a fragment component."
  if (parts.has_fragment)
    return refuse(RedirectUriError::HasFragment, "redirect_uri must not have a fragment");
  if (parts.has_userinfo)
    return refuse(RedirectUriError::HasUserinfo, "redirect_uri must not have userinfo");

  const bool is_https = equals_ignoring_ascii_case(parts.scheme, "https");
  const bool is_http = equals_ignoring_ascii_case(parts.scheme, "http");
  if (is_https || is_http) {
    if (!parts.has_authority || parts.host.empty())
      return refuse(RedirectUriError::MissingHost, "redirect_uri must name a host");
    // OAuth 2.1 §2.3.1 / RFC 8252 §7.3, §8.3: plain http only to the loopback interface.
    if (is_http && !is_loopback_host(parts.host))
      return refuse(RedirectUriError::InsecureHttp,
                    "redirect_uri must use https unless it is a loopback address");
  } else if (!policy.allow_private_use_schemes || is_dangerous_scheme(parts.scheme)) {
    return refuse(RedirectUriError::UnsupportedScheme,
                  "redirect_uri must use https, or http to a loopback address");
  }

  if (parts.has_query) {
    ParsedForm query = parse_query_string(parts.query);
    if (!query.ok())
      return refuse(RedirectUriError::Malformed, "redirect_uri has a malformed query");
    // RFC 6749 §4.1.2 / RFC 9207 §2: these are ours to add; a second copy would be ambiguous.
    for (std::string_view reserved :
         {"code", "state", "iss", "error", "error_description", "error_uri"})
      if (query.find(reserved) != nullptr)
        return refuse(RedirectUriError::ReservedParameter,
                      "redirect_uri query must not contain " + std::string(reserved));
  }
  return {};
}

bool redirect_uri_matches(std::string_view registered, std::string_view requested) {
  // OAuth 2.1 §4.1.1 / RFC 3986 §6.2.1: simple string comparison.
  if (registered == requested) return true;

  // RFC 8252 §7.3: for loopback IP redirect URIs the port may vary at request time.
  if (!all_characters_valid(registered) || !all_characters_valid(requested)) return false;
  UriParts a, b;
  if (split_uri(registered, a) != ParseFailure::None ||
      split_uri(requested, b) != ParseFailure::None)
    return false;
  return a.scheme == "http" && b.scheme == "http" && a.has_authority && b.has_authority &&
         !a.has_userinfo && !b.has_userinfo && !a.has_fragment && !b.has_fragment &&
         is_loopback_ip_literal(a.host) && a.host == b.host && a.path == b.path &&
         a.has_query == b.has_query && a.query == b.query;
}

bool redirect_uri_matches_any(const std::vector<std::string>& registered,
                              std::string_view requested) {
  for (const std::string& candidate : registered)
    if (redirect_uri_matches(candidate, requested)) return true;
  return false;
}

std::string append_query_parameters(std::string_view uri,
                                    const std::vector<FormParameter>& parameters) {
  std::string_view fragment;
  std::size_t hash = uri.find('#');
  if (hash != std::string_view::npos) {
    fragment = uri.substr(hash);
    uri = uri.substr(0, hash);
  }
  std::string result(uri);
  std::string encoded = form_urlencode(parameters);
  if (!encoded.empty()) {
    std::size_t question = result.find('?');
    if (question == std::string::npos) {
      result.push_back('?');
    } else if (question + 1 != result.size() && result.back() != '&') {
      result.push_back('&');  // RFC 6749 §3.1.2: keep the existing query, add to it
    }
    result.append(encoded);
  }
  result.append(fragment);
  return result;
}

std::string build_authorization_redirect(std::string_view redirect_uri, std::string_view code,
                                         std::string_view state, std::string_view issuer) {
  std::vector<FormParameter> parameters{{"code", std::string(code)}};
  // RFC 6749 §4.1.2: state is REQUIRED in the response if it was in the request.
  if (!state.empty()) parameters.push_back({"state", std::string(state)});
  // RFC 9207 §2: the issuer identifier, so the client can detect mix-up attacks.
  if (!issuer.empty()) parameters.push_back({"iss", std::string(issuer)});
  return append_query_parameters(redirect_uri, parameters);
}

std::string build_authorization_error_redirect(std::string_view redirect_uri,
                                               std::string_view error, std::string_view description,
                                               std::string_view state, std::string_view issuer) {
  std::vector<FormParameter> parameters{{"error", std::string(error)}};
  if (!description.empty()) parameters.push_back({"error_description", std::string(description)});
  if (!state.empty()) parameters.push_back({"state", std::string(state)});
  if (!issuer.empty()) parameters.push_back({"iss", std::string(issuer)});
  return append_query_parameters(redirect_uri, parameters);
}

}  // namespace bmcp::oauth
