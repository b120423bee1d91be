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
#include "signin/broker_sign_in.hpp"
#include "signin/broker_token_record.hpp"
#include "storage/broker_tokens_table.hpp"
#include "storage/oauth_codes_table.hpp"
#include "storage/oauth_grants_table.hpp"
#include "storage/users_table.hpp"

namespace bmcp::signin {
namespace {

constexpr std::string_view kFailedHeading = "Sign-in did not complete";

// Exchanges the broker's code for tokens, then admits the person (broker_sign_in.hpp).
Task<SignedIn> sign_in_at_broker(Io& io, const SigninSettings& signin, const BrokerSettings& broker,
                                 const std::string& code, const std::string& redirect_uri,
                                 const std::string& verifier, const logging::Logger& log) {
  BrokerTokenResponse tokens =
      co_await exchange_broker_code(io, signin, broker, code, redirect_uri, verifier);
  log.log(tokens.ok() ? logging::LogLevel::kInfo : logging::LogLevel::kWarn,
          "sign-in code exchange",
          {{"broker", broker.name},
           {"outcome", tokens.ok()                                               ? "ok"
                       : tokens.outcome == BrokerTokenResponse::Outcome::Refused ? "refused"
                                                                                 : "unavailable"},
           {"reason", tokens.ok() ? "" : tokens.detail}});
  if (!tokens.ok()) {
    SignedIn out;
    out.error = tokens.outcome == BrokerTokenResponse::Outcome::Refused ? "access_denied"
                                                                        : "temporarily_unavailable";
    out.description = broker.display_name + " did not accept the sign-in (" + tokens.detail + ")";
    co_return out;
  }
  co_return co_await admit_broker_user(io, signin, broker, tokens, log);
}

Task<http::Response> direct_sign_in(Io& io, const oauth::ServerSettings& server,
                                    const SigninSettings& signin, const BrokerSettings& broker,
                                    const oauth::ServerIdentity& identity, const std::string& code,
                                    const logging::Logger& log) {
  std::string redirect_uri = broker_redirect_uri(broker, identity.issuer);
  std::string no_verifier;
  SignedIn person =
      co_await sign_in_at_broker(io, signin, broker, code, redirect_uri, no_verifier, log);
  if (person.error == kNotAdmitted) co_return not_admitted_page(broker, person.description);
  if (!person.ok())
    co_return oauth::oauth_error_response(person.error == "access_denied" ? 400 : 502, person.error,
                                          person.description);
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
    co_return oauth::oauth_error_response(503, "temporarily_unavailable",
                                          "the sign-in could not be stored; try again");
  oauth::AccessTokenGrant access;
  access.user_id = person.user_id;
  access.email = person.email;
  access.client_id = grant.client_id;
  access.scope = grant.scope;
  access.grant_id = grant.id;
  access.audience = grant.resource;
  access.lifetime_seconds = oauth::kDirectSessionLifetimeSeconds;
  auto token = oauth::mint_access_token(io.crypto(), server, identity, access, now_ms / 1000);
  if (!token)
    co_return oauth::oauth_error_response(500, "server_error",
                                          "the session token could not be signed");
  Json body = {{"token", *token}};
  co_return oauth::no_store_json(200, body);
}

}  // namespace

Task<http::Response> broker_callback(Io& io, const oauth::ServerSettings& server,
                                     const SigninSettings& signin, const http::Request& request,
                                     const logging::Logger& log) {
  if (request.method != "GET") {
    http::Response r =
        oauth::error_page(405, "Method not allowed", "The broker sends you back here with GET.");
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
    if (server.direct_sign_in && tasty && path == tasty->callback_path && code &&
        !query.oauth_parameter("error") && code->size() <= 4096)
      co_return co_await direct_sign_in(io, server, signin, *tasty, identity, std::string(*code),
                                        log);
    co_return oauth::error_page(400, kFailedHeading,
                                "The broker's answer has no state. Start again from your app.");
  }
  oauth::OpenedOAuthState opened =
      oauth::open_oauth_state(crypto, server.cookie_key, *sealed_state, now_s);
  if (!opened.ok())
    log.log(
        logging::LogLevel::kWarn, "sign-in state check",
        {{"path", path},
         {"outcome", "refused"},
         {"reason", opened.error == oauth::OAuthStateError::Expired ? "expired" : "not valid"}});
  if (opened.error == oauth::OAuthStateError::Expired)
    co_return oauth::error_page(400, kFailedHeading,
                                "The sign-in took too long. Start again from your app.");
  if (!opened.ok())
    co_return oauth::error_page(400, kFailedHeading,
                                "This sign-in link is not valid. Start again from your app.");
  const oauth::BrokerLoginState& state = opened.state;
  const BrokerSettings* broker = signin.enabled_broker(state.broker);
  if (!broker || broker->callback_path != path) {
    log.log(logging::LogLevel::kWarn, "sign-in state check",
            {{"path", path},
             {"broker", state.broker},
             {"outcome", "refused"},
             {"reason", "wrong broker or callback path"}});
    co_return oauth::error_page(400, kFailedHeading,
                                "This sign-in link is not valid. Start again from your app.");
  }
  std::string cookie_name = login_cookie_name(state.csrf_nonce);
  std::string cookie =
      oauth::find_cookie(oauth::request_cookies(request), cookie_name).value_or("");
  if (cookie.empty() || !crypto.constant_time_equal(cookie, state.csrf_nonce)) {
    log.log(logging::LogLevel::kWarn, "sign-in state check",
            {{"broker", broker->name},
             {"outcome", "refused"},
             {"reason", "not this browser (login cookie missing or different)"}});
    co_return oauth::error_page(
        403, kFailedHeading,
        "This sign-in did not start in this browser. Start again from your app.");
  }
  log.log(logging::LogLevel::kInfo, "sign-in state check",
          {{"broker", broker->name}, {"client", state.request.client_id}, {"outcome", "ok"}});

  http::Response answer;
  if (auto error = query.oauth_parameter("error")) {
    bool denied = *error == "access_denied";
    log.log(logging::LogLevel::kWarn, "sign-in at broker",
            {{"broker", broker->name},
             {"outcome", denied ? "cancelled" : "broker error"},
             {"reason", std::string(*error).substr(0, 64)}});
    answer = client_error_redirect(
        identity, state.request, denied ? "access_denied" : "temporarily_unavailable",
        denied ? "the sign-in at the broker was cancelled" : "the broker reported an error");
  } else if (auto code = query.oauth_parameter("code"); !code || code->size() > 4096) {
    answer = client_error_redirect(identity, state.request, "server_error",
                                   "the broker did not send an authorization code");
  } else {
    std::string code_text(*code);
    std::string redirect_uri = broker_redirect_uri(*broker, identity.issuer);
    SignedIn person = co_await sign_in_at_broker(io, signin, *broker, code_text, redirect_uri,
                                                 state.broker_code_verifier, log);
    if (person.error == kNotAdmitted) answer = not_admitted_page(*broker, person.description);
    else if (!person.ok())
      answer = client_error_redirect(identity, state.request, person.error, person.description);
    else answer = co_await authorize_client(io, identity, state.request, std::move(person), log);
  }
  oauth::SetCookieOptions clearing;
  oauth::add_set_cookie(answer, oauth::build_clearing_set_cookie(cookie_name, clearing));
  co_return answer;
}

}  // namespace bmcp::signin
