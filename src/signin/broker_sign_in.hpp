// What every way of signing in at a broker ends with, whichever way the broker's tokens
// were obtained (the authorization-code callback, the direct tastytrade sign-in, a tastytrade
// personal grant): find out who the person is, admit them or not (ALLOWED_USERS), seal their
// broker tokens, and hand the MCP client its authorization code.
//
// Guarantees: nothing is written for a person who is not admitted; the user row, the sealed
// broker tokens, the grant and the code are written in one D1 batch (all or nothing); each
// step logs one line with its outcome (never a token, a code or a secret).
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "logging/logger.hpp"
#include "oauth/oauth_state.hpp"
#include "oauth/server_settings.hpp"
#include "signin/broker_oauth.hpp"
#include "signin/broker_settings.hpp"
#include "effects/host_api.hpp"
#include "storage/d1_rows.hpp"

#include <string>
#include <vector>

namespace bmcp::signin {

// SignedIn::error for a person ALLOWED_USERS does not list (shown a page, never redirected).
inline constexpr std::string_view kNotAdmitted = "not_admitted";

// The person signed in at the broker: who they are and the statements that store them, or
// why not.
struct SignedIn {
  std::string error;        // RFC 6749 error code for the client when not ok, or kNotAdmitted
  std::string description;  // plain words, no secrets (for kNotAdmitted: the user id)
  std::string user_id;
  std::string email;
  std::vector<storage::Statement> statements;  // user + tokens, to run in one batch
  bool ok() const { return error.empty(); }
};

// From the broker's token answer to a person: asks the broker who signed in, checks
// ALLOWED_USERS, seals `tokens` (whose refresh_token must be the one to keep).
Task<SignedIn> admit_broker_user(Io& io, const SigninSettings& signin, const BrokerSettings& broker,
                                 const BrokerTokenResponse& tokens, const logging::Logger& log);

// The page a person sees who signed in at the broker but is not on ALLOWED_USERS: their
// identity as this server names it, so the owner can add theirs.
http::Response not_admitted_page(const BrokerSettings& broker, const std::string& user_id);

// RFC 6749 §4.1.2.1 error redirect to the MCP client, with RFC 9207 iss.
http::Response client_error_redirect(const oauth::ServerIdentity& identity,
                                     const oauth::PendingAuthorization& request,
                                     std::string_view error, std::string_view description);

// Stores the person with a grant and a single-use authorization code for the MCP client,
// then redirects there with the code (RFC 6749 §4.1.2); an error redirect when storage fails.
Task<http::Response> authorize_client(Io& io, const oauth::ServerIdentity& identity,
                                      const oauth::PendingAuthorization& request, SignedIn person,
                                      const logging::Logger& log);

bool batch_ok(const std::vector<host::SqlResult>& results);

}  // namespace bmcp::signin
