// Redirect URIs of MCP clients: what may be registered, when a requested URI matches a
// registered one, and how the authorization response is appended to it.
//
// Rules and their sources:
// - Registration (RFC 7591 §2, OAuth 2.1 §2.3, RFC 6749 §3.1.2, MCP authorization "Redirect
//   URIs MUST be either localhost or HTTPS"): an absolute URI; https with a host, or http
//   only to a loopback host (127.0.0.1, [::1], localhost: RFC 8252 §7.3, §8.3); no fragment
//   (RFC 6749 §3.1.2); no userinfo (it makes "https://good@evil" read as "good"); only
//   RFC 3986 characters with well-formed %-escapes; a query is allowed (RFC 6749 §3.1.2) but
//   must not already carry a response parameter (code, state, iss, error…). Other schemes
//   (RFC 8252 §7.1 private-use, e.g. native apps) only when the policy allows them, and
//   never script-capable or local ones (javascript:, data:, file:, …).
// - Matching at /authorize: simple string equality (RFC 3986 §6.2.1, OAuth 2.1 §4.1.1),
//   except that for http redirects to a loopback IP literal the port may differ (RFC 8252
//   §7.3: "The authorization server MUST allow any port to be specified at the time of the
//   request for loopback IP redirect URIs"). "localhost" gets no such exception
//   (RFC 8252 §8.3 and OAuth 2.1 recommend the IP literal).
// - Response: `code`, `state` and `iss` (RFC 9207 §2) appended to the URI's existing query,
//   never replacing it (RFC 6749 §3.1.2: the query MUST be retained).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "oauth/form_encoding.hpp"

namespace bmcp::oauth {

inline constexpr std::size_t kMaxRedirectUriLength = 2048;

enum class RedirectUriError {
  None,
  TooLong,
  Malformed,    // characters outside RFC 3986, bad %-escape, bad host or port
  NotAbsolute,  // no scheme
  HasFragment,
  HasUserinfo,
  InsecureHttp,       // http to a host that is not loopback
  UnsupportedScheme,  // not http(s), and private-use schemes not allowed or dangerous
  MissingHost,
  ReservedParameter,  // the query already has code, state, iss, error…
};

struct RedirectUriPolicy {
  // RFC 8252 §7.1 private-use URI schemes (e.g. "com.example.app:/cb", "cursor://…").
  bool allow_private_use_schemes = false;
};

struct RedirectUriCheck {
  RedirectUriError error = RedirectUriError::None;
  std::string message;  // fit for an RFC 7591 invalid_redirect_uri error_description

  bool ok() const { return error == RedirectUriError::None; }
};

RedirectUriCheck validate_redirect_uri(std::string_view uri, const RedirectUriPolicy& policy = {});

bool redirect_uri_matches(std::string_view registered, std::string_view requested);
bool redirect_uri_matches_any(const std::vector<std::string>& registered,
                              std::string_view requested);

// Appends encoded parameters to the URI's query (creating it if needed), before any fragment.
std::string append_query_parameters(std::string_view uri,
                                    const std::vector<FormParameter>& parameters);

// RFC 6749 §4.1.2 + RFC 9207 §2: ?code=…&state=…&iss=… (state omitted when empty).
std::string build_authorization_redirect(std::string_view redirect_uri, std::string_view code,
                                         std::string_view state, std::string_view issuer);

// RFC 6749 §4.1.2.1 + RFC 9207 §2: ?error=…&error_description=…&state=…&iss=…
std::string build_authorization_error_redirect(std::string_view redirect_uri,
                                               std::string_view error, std::string_view description,
                                               std::string_view state, std::string_view issuer);

}  // namespace bmcp::oauth
