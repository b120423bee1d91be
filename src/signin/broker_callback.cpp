#include "signin/broker_callback.hpp"

#include "crypto/base64.hpp"
#include "effects/host_api.hpp"
#include "oauth/cookie.hpp"
#include "oauth/form_encoding.hpp"
#include "oauth/oauth_state.hpp"
#include "oauth/redirect_uri.hpp"
#include "oauth/refresh_token.hpp"
#include "oauth/responses.hpp"
#include "oauth/scopes.hpp"
#include "oauth/token_endpoint.hpp"
#include "signin/broker_login.hpp"
#include "signin/broker_oauth.hpp"
#include "signin/broker_token_record.hpp"
#include "storage/broker_tokens_table.hpp"
#include "storage/oauth_codes_table.hpp"
#include "storage/oauth_grants_table.hpp"
#include "storage/users_table.hpp"

namespace bmcp::signin {
namespace {

constexpr std::string_view kFailedHeading = "Sign-in did not complete";

std::string cookie_header(const http::Request& request) {
  std::string joined;
  for (const auto& [k, v] : request.headers)
    if (http::iequals(k, "Cookie")) joined += (joined.empty() ? "" : "; ") + v;
  return joined;
}

// SignedIn::error for a person ALLOWED_USERS does not list (shown a page, never redirected).
constexpr const char* kNotAdmitted = "not_admitted";

// The page a person sees who signed in at the broker but is not on ALLOWED_USERS: their
// identity as this server names it, so the owner can add theirs.
http::Response not_admitted_page(const BrokerSettings& broker, const std::string& user_id) {
  return oauth::error_page(403, "This server is private",
                           "You signed in at " + broker.display_name + " as " + user_id +
                               ", and this server lets only the people on its list use it (ALLOWED_USERS). If it "
                               "is your own server, add that identity to ALLOWED_USERS.");
}

// The person signed in at the broker: who they are and their tokens, or why not.
struct SignedIn {
  std::string error;        // RFC 6749 error code for the client when not ok
  std::string description;  // plain words, no secrets
  std::string user_id;
  std::string email;
  std::vector<storage::Statement> statements;  // user + tokens, to run in one batch
  bool ok() const { return error.empty(); }
};

Task<SignedIn> sign_in_at_broker(Io& io, const SigninSettings& signin, const BrokerSettings& broker,
                                 const std::string& code, const std::string& redirect_uri,
                                 const std::string& verifier) {
  SignedIn out;
  BrokerTokenResponse tokens = co_await exchange_broker_code(io, signin, broker, code, redirect_uri, verifier);
  if (!tokens.ok()) {
    out.error = tokens.outcome == BrokerTokenResponse::Outcome::Refused ? "access_denied" : "temporarily_unavailable";
    out.description = broker.display_name + " did not accept the sign-in (" + tokens.detail + ")";
    co_return out;
  }
  BrokerIdentity who = co_await identify_broker_user(io, signin, broker, tokens.access_token);
  if (!who.ok) {
    out.error = "temporarily_unavailable";
    out.description = who.detail;
    co_return out;
  }
  const std::int64_t now_ms = io.now_ms();
  out.user_id = storage::user_id_for(broker.name, who.external_id);
  out.email = who.email;
  if (!signin.allowed_users.admits(out.user_id, out.email)) {
    // Checked before anything is written: no user, no broker tokens, no grant.
    out.error = kNotAdmitted;
    out.description = out.user_id;
    co_return out;
  }
  BrokerTokens record{tokens.access_token, tokens.refresh_token, tokens.scope};
  auto sealed = seal_broker_tokens(io.crypto(), signin.token_key, out.user_id, broker.name, record);
  if (!sealed) {
    out.error = "server_error";
    out.description = "the broker tokens could not be stored";
    co_return out;
  }
  std::optional<std::int64_t> refresh_expires;
  if (broker.name == "schwab") refresh_expires = now_ms + kSchwabRefreshSeconds * 1000;
  out.statements.push_back(storage::upsert_user_statement(out.user_id, broker.name, who.external_id, who.email, now_ms));
  out.statements.push_back(storage::upsert_broker_tokens_statement(
      out.user_id, broker.name, *sealed, now_ms + tokens.expires_in_seconds * 1000, refresh_expires, now_ms));
  co_return out;
}

bool batch_ok(const std::vector<host::SqlResult>& results) {
  if (results.empty()) return false;
  for (const auto& r : results)
    if (!r.ok) return false;
  return true;
}

http::Response error_redirect(const oauth::ServerIdentity& identity, const oauth::PendingAuthorization& request,
                              std::string_view error, std::string_view description) {
  return oauth::redirect_response(oauth::build_authorization_error_redirect(
      request.redirect_uri, error, description, request.state, identity.issuer));
}

Task<http::Response> direct_sign_in(Io& io, const oauth::ServerSettings& server, const SigninSettings& signin,
                                    const BrokerSettings& broker, const oauth::ServerIdentity& identity,
                                    const std::string& code) {
  std::string redirect_uri = broker_redirect_uri(broker, identity.issuer);
  std::string no_verifier;
  SignedIn person = co_await sign_in_at_broker(io, signin, broker, code, redirect_uri, no_verifier);
  if (person.error == kNotAdmitted) co_return not_admitted_page(broker, person.description);
  if (!person.ok())
    co_return oauth::oauth_error_response(person.error == "access_denied" ? 400 : 502, person.error, person.description);
  const std::int64_t now_ms = io.now_ms();
  storage::GrantRecord grant;
  grant.id = crypto::base64url_encode(io.crypto().random_bytes(16));
  grant.user_id = person.user_id;
  grant.client_id = std::string(kDirectSignInClientId);
  grant.scope = std::string(oauth::kScopeRead);  // nobody chose to let a client trade
  grant.resource = identity.mcp_resource;
  grant.created_at = now_ms;
  grant.expires_at = now_ms + oauth::kDirectSessionLifetimeSeconds * 1000;
  std::vector<storage::Statement> statements = std::move(person.statements);
  statements.push_back(storage::insert_grant_statement(grant));
  std::vector<host::SqlResult> results = co_await host::d1_batch(io, std::move(statements));
  if (!batch_ok(results))
    co_return oauth::oauth_error_response(503, "temporarily_unavailable", "the sign-in could not be stored; try again");
  oauth::AccessTokenGrant access;
  access.user_id = person.user_id;
  access.email = person.email;
  access.client_id = grant.client_id;
  access.scope = grant.scope;
  access.grant_id = grant.id;
  access.audience = grant.resource;
  access.lifetime_seconds = oauth::kDirectSessionLifetimeSeconds;
  auto token = oauth::mint_access_token(io.crypto(), server, identity, access, now_ms / 1000);
  if (!token) co_return oauth::oauth_error_response(500, "server_error", "the session token could not be signed");
  Json body = {{"token", *token}};
  co_return oauth::no_store_json(200, body);
}

}  // namespace

Task<http::Response> broker_callback(Io& io, const oauth::ServerSettings& server, const SigninSettings& signin,
                                     const http::Request& request) {
  if (request.method != "GET") {
    http::Response r = oauth::error_page(405, "Method not allowed", "The broker sends you back here with GET.");
    r.set("Allow", "GET");
    co_return r;
  }
  const std::string& path = request.parsed_url.path;
  oauth::ParsedForm query = oauth::parse_query_string(request.parsed_url.query);
  if (!query.ok() || !query.repeated_names().empty())
    co_return oauth::error_page(400, kFailedHeading, "The broker's answer is malformed.");
  const oauth::ServerIdentity identity = oauth::server_identity(server, request);
  const CryptoPort& crypto = io.crypto();
  const std::int64_t now_s = io.now_ms() / 1000;

  auto sealed_state = query.oauth_parameter("state");
  if (!sealed_state) {
    const BrokerSettings* tasty = signin.enabled_broker("tastytrade");
    auto code = query.oauth_parameter("code");
    if (server.direct_sign_in && tasty && path == tasty->callback_path && code && !query.oauth_parameter("error") &&
        code->size() <= 4096)
      co_return co_await direct_sign_in(io, server, signin, *tasty, identity, std::string(*code));
    co_return oauth::error_page(400, kFailedHeading, "The broker's answer has no state. Start again from your app.");
  }
  oauth::OpenedOAuthState opened = oauth::open_oauth_state(crypto, server.cookie_key, *sealed_state, now_s);
  if (opened.error == oauth::OAuthStateError::Expired)
    co_return oauth::error_page(400, kFailedHeading, "The sign-in took too long. Start again from your app.");
  if (!opened.ok())
    co_return oauth::error_page(400, kFailedHeading, "This sign-in link is not valid. Start again from your app.");
  const oauth::BrokerLoginState& state = opened.state;
  const BrokerSettings* broker = signin.enabled_broker(state.broker);
  if (!broker || broker->callback_path != path)
    co_return oauth::error_page(400, kFailedHeading, "This sign-in link is not valid. Start again from your app.");
  std::string cookie_name = login_cookie_name(state.csrf_nonce);
  std::string cookie = oauth::find_cookie(cookie_header(request), cookie_name).value_or("");
  if (cookie.empty() || !crypto.constant_time_equal(cookie, state.csrf_nonce))
    co_return oauth::error_page(403, kFailedHeading,
                                "This sign-in did not start in this browser. Start again from your app.");

  http::Response answer;
  if (auto error = query.oauth_parameter("error")) {
    bool denied = *error == "access_denied";
    answer = error_redirect(identity, state.request, denied ? "access_denied" : "temporarily_unavailable",
                            denied ? "the sign-in at the broker was cancelled" : "the broker reported an error");
  } else if (auto code = query.oauth_parameter("code"); !code || code->size() > 4096) {
    answer = error_redirect(identity, state.request, "server_error", "the broker did not send an authorization code");
  } else {
    std::string code_text(*code);
    std::string redirect_uri = broker_redirect_uri(*broker, identity.issuer);
    SignedIn person = co_await sign_in_at_broker(io, signin, *broker, code_text, redirect_uri, state.broker_code_verifier);
    if (person.error == kNotAdmitted) {
      answer = not_admitted_page(*broker, person.description);
    } else if (!person.ok()) {
      answer = error_redirect(identity, state.request, person.error, person.description);
    } else {
      const std::int64_t now_ms = io.now_ms();
      storage::GrantRecord grant;
      grant.id = crypto::base64url_encode(crypto.random_bytes(16));
      grant.user_id = person.user_id;
      grant.client_id = state.request.client_id;
      grant.scope = state.request.scope;
      grant.resource = state.request.resource;
      grant.created_at = now_ms;
      grant.expires_at = now_ms + oauth::kAuthorizationCodeLifetimeSeconds * 1000;
      oauth::OpaqueSecret code_secret = oauth::generate_authorization_code(crypto);
      storage::CodeRecord record;
      record.code_hash = code_secret.hash_hex;
      record.grant_id = grant.id;
      record.client_id = grant.client_id;
      record.user_id = grant.user_id;
      record.redirect_uri = state.request.redirect_uri;
      record.code_challenge = state.request.code_challenge;
      record.resource = grant.resource;
      record.scope = grant.scope;
      record.expires_at = grant.expires_at;
      std::vector<storage::Statement> statements = std::move(person.statements);
      statements.push_back(storage::insert_grant_statement(grant));
      statements.push_back(storage::insert_code_statement(record));
      std::vector<host::SqlResult> results = co_await host::d1_batch(io, std::move(statements));
      if (!batch_ok(results))
        answer = error_redirect(identity, state.request, "temporarily_unavailable", "the sign-in could not be stored; try again");
      else
        answer = oauth::redirect_response(oauth::build_authorization_redirect(
            state.request.redirect_uri, code_secret.value, state.request.state, identity.issuer));
    }
  }
  oauth::SetCookieOptions clearing;
  oauth::add_set_cookie(answer, oauth::build_clearing_set_cookie(cookie_name, clearing));
  co_return answer;
}

}  // namespace bmcp::signin
