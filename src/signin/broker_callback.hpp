// The broker redirects the browser back here after the person signed in:
//   GET /callback        Schwab
//   GET /oauth/callback  tastytrade
//
// With our sealed state: verify it (authentic, unexpired, this broker, bound to this
// browser), exchange the code at the broker with our PKCE verifier, identify the person
// (Schwab: the stable customer id from user preferences; tastytrade: /customers/me), store
// the user and their sealed broker tokens, and finish the MCP client's authorization: a
// grant and a single-use code, sent to the client's redirect URI with its state and our
// issuer. Everything that happens after the state is verified is reported to the client as
// an RFC 6749 error redirect; before that, on a page.
//
// Without a state at the tastytrade callback (a sign-in started at tastytrade itself), and only
// when TASTYTRADE_DIRECT_SIGN_IN=1: exchange, identify, store, and answer
// {"token": "<session JWT>"}, a read-only access token for this server valid for 24 hours.
// Nobody approved a client for it, so it never carries brokerage:trade; its grant is a real
// row of the built-in client "direct-sign-in", which /revoke (client_id=direct-sign-in, the
// token itself) and the bearer check honour. Otherwise such a callback is refused on a page.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "logging/logger.hpp"
#include "oauth/server_settings.hpp"
#include "signin/broker_settings.hpp"

namespace bmcp::signin {

using oauth::kDirectSignInClientId;

Task<http::Response> broker_callback(Io& io, const oauth::ServerSettings& server,
                                     const SigninSettings& signin, const http::Request& request,
                                     const logging::Logger& log);

}  // namespace bmcp::signin
