// tastytrade sign-in with a personal grant (TASTYTRADE_SIGN_IN=personal).
//
// tastytrade offers its authorization-code sign-in to trusted partners. Someone who made an
// OAuth application for themselves instead creates a "personal grant" for it in their
// tastytrade profile, which shows a refresh token that lasts until the grant is deleted.
// After the consent page, such a person is asked for that token (a password field);
// POST /personal-grant checks it live — a refresh_token grant with this deployment's client
// credentials, then /customers/me for the identity — and then signs them in like the
// callback does (broker_sign_in.hpp): ALLOWED_USERS, sealed tokens, a code for the client.
//
// Guarantees: only a token tastytrade accepts for this deployment's OAuth application signs
// anyone in (tastytrade binds refresh tokens to the client id and secret); the token is
// stored sealed and never shown again, logged or echoed into a page; the form is bound to
// the browser that approved the client (the sealed login state and its cookie, as for the
// broker redirect, RFC 6749 §10.12) and expires with the state (10 minutes). A wrong or
// revoked token gets the page again with the reason, and nothing is stored.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "logging/logger.hpp"
#include "oauth/oauth_state.hpp"
#include "oauth/server_settings.hpp"
#include "signin/broker_settings.hpp"

#include <string>
#include <vector>

namespace bmcp::signin {

inline constexpr std::string_view kPersonalGrantPath = "/personal-grant";

// The page that asks for the refresh token, with a new login state and its cookie, plus
// `extra_set_cookies` (the approval cookie of the consent page).
http::Response personal_grant_page(const CryptoPort& crypto, const oauth::ServerSettings& server,
                                   const BrokerSettings& broker,
                                   const oauth::PendingAuthorization& request,
                                   std::int64_t now_seconds,
                                   const std::vector<std::string>& extra_set_cookies);

// POST /personal-grant.
Task<http::Response> personal_grant_submit(Io& io, const oauth::ServerSettings& server,
                                           const SigninSettings& signin,
                                           const http::Request& request,
                                           const logging::Logger& log);

}  // namespace bmcp::signin
