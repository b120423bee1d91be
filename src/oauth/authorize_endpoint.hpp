// GET and POST /authorize: the authorization endpoint MCP clients send the person to.
//
// GET validates the request (RFC 6749 §4.1.1 with OAuth 2.1 and MCP rules: a registered
// client_id, a redirect_uri that exactly matches a registered one, response_type=code, PKCE
// with S256, a known scope, and a resource that is this MCP server, RFC 8707). Problems with
// the client or the redirect URI are shown on a page and never redirected (RFC 6749
// §4.1.2.1). Later problems go back to the client as an error redirect with `state` and
// `iss` only when this browser already approved this client (its approval cookie): until
// then the registered redirect URI is just what whoever registered the client chose, and
// redirecting to it would make this server an open redirector (RFC 9700 §4.11.2: redirect
// automatically only to a URI the server trusts), so the problem is shown on a page and
// nothing is sent anywhere. A valid request gets the consent page — unless the approval cookie says
// this browser already approved this client, in which case the person goes straight on to the
// broker they chose last time.
//
// POST is the consent form: a sealed ticket with the request, a CSRF token matched against
// the consent cookie, the choice of broker, and Approve or Deny. Deny returns access_denied
// to the client; Approve remembers the approval in the cookie and continues at the broker.
//
// "Continues at the broker" is the caller's part (signin/broker_login.hpp): these functions
// return the approved request instead of a response.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "oauth/oauth_state.hpp"
#include "oauth/server_settings.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bmcp::oauth {

inline constexpr std::size_t kMaxClientStateLength = 2048;

struct AuthorizeOutcome {
  std::optional<http::Response> response;  // answer with this (page or error redirect) …
  bool approved = false;                   // … or continue at `broker` with `request`
  PendingAuthorization request;
  std::string broker;
  std::vector<std::string> set_cookies;  // Set-Cookie values to add to the broker redirect
};

Task<AuthorizeOutcome> authorize_get(Io& io, const ServerSettings& settings,
                                     const http::Request& request);
Task<AuthorizeOutcome> authorize_post(Io& io, const ServerSettings& settings,
                                      const http::Request& request);

// The approval cookie remembers "<broker>:<client_id>" entries.
std::string approval_key(std::string_view broker, std::string_view client_id);

}  // namespace bmcp::oauth
