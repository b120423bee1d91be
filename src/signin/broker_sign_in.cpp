#include "signin/broker_sign_in.hpp"

#include "brokers/broker.hpp"
#include "crypto/base64.hpp"
#include "oauth/redirect_uri.hpp"
#include "oauth/refresh_token.hpp"
#include "oauth/responses.hpp"
#include "oauth/token_endpoint.hpp"
#include "signin/broker_token_record.hpp"
#include "storage/broker_tokens_table.hpp"
#include "storage/oauth_codes_table.hpp"
#include "storage/oauth_grants_table.hpp"
#include "storage/users_table.hpp"

namespace bmcp::signin {

Task<SignedIn> admit_broker_user(Io& io, const SigninSettings& signin, const BrokerSettings& broker,
                                 const BrokerTokenResponse& tokens, const logging::Logger& log) {
  SignedIn out;
  BrokerIdentity who = co_await identify_broker_user(io, signin, broker, tokens.access_token);
  if (!who.ok) {
    log.log(logging::LogLevel::kWarn, "sign-in identity",
            {{"broker", broker.name}, {"outcome", "failed"}, {"reason", who.detail}});
    out.error = "temporarily_unavailable";
    out.description = who.detail;
    co_return out;
  }
  const std::int64_t now_ms = io.now_ms();
  out.user_id = storage::user_id_for(broker.name, who.external_id);
  out.email = who.email;
  if (!signin.allowed_users.admits(out.user_id, out.email)) {
    // Checked before anything is written: no user, no broker tokens, no grant.
    log.log(logging::LogLevel::kWarn, "sign-in admission",
            {{"broker", broker.name},
             {"user", out.user_id},
             {"outcome", "refused"},
             {"reason", "not in ALLOWED_USERS"}});
    out.error = std::string(kNotAdmitted);
    out.description = out.user_id;
    co_return out;
  }
  log.log(logging::LogLevel::kInfo, "sign-in admission",
          {{"broker", broker.name}, {"user", out.user_id}, {"outcome", "admitted"}});
  BrokerTokens record{tokens.access_token, tokens.refresh_token, tokens.scope};
  auto sealed = seal_broker_tokens(io.crypto(), signin.token_key, out.user_id, broker.name, record);
  if (!sealed) {
    out.error = "server_error";
    out.description = "the broker tokens could not be stored";
    co_return out;
  }
  std::optional<std::int64_t> refresh_expires;
  if (brokers::broker_named(broker.name) == brokers::Broker::Schwab)
    refresh_expires = now_ms + kSchwabRefreshSeconds * 1000;
  out.statements.push_back(
      storage::upsert_user_statement(out.user_id, broker.name, who.external_id, who.email, now_ms));
  out.statements.push_back(storage::upsert_broker_tokens_statement(
      out.user_id, broker.name, *sealed, now_ms + tokens.expires_in_seconds * 1000, refresh_expires,
      now_ms));
  co_return out;
}

http::Response not_admitted_page(const BrokerSettings& broker, const std::string& user_id) {
  return oauth::error_page(
      403, "This server is private",
      "You signed in at " + broker.display_name + " as " + user_id +
          ", and this server lets only the people on its list use it (ALLOWED_USERS). If it "
          "is your own server, add that identity to ALLOWED_USERS.");
}

http::Response client_error_redirect(const oauth::ServerIdentity& identity,
                                     const oauth::PendingAuthorization& request,
                                     std::string_view error, std::string_view description) {
  return oauth::redirect_response(oauth::build_authorization_error_redirect(
      request.redirect_uri, error, description, request.state, identity.issuer));
}

bool batch_ok(const std::vector<host::SqlResult>& results) {
  if (results.empty()) return false;
  for (const auto& r : results)
    if (!r.ok) return false;
  return true;
}

Task<http::Response> authorize_client(Io& io, const oauth::ServerIdentity& identity,
                                      const oauth::PendingAuthorization& request, SignedIn person,
                                      const logging::Logger& log) {
  const CryptoPort& crypto = io.crypto();
  const std::int64_t now_ms = io.now_ms();
  storage::GrantRecord grant;
  grant.id = crypto::base64url_encode(crypto.random_bytes(16));
  grant.user_id = person.user_id;
  grant.client_id = request.client_id;
  grant.scope = request.scope;
  grant.resource = request.resource;
  grant.created_at = now_ms;
  grant.expires_at = now_ms + oauth::kAuthorizationCodeLifetimeSeconds * 1000;
  oauth::OpaqueSecret code_secret = oauth::generate_authorization_code(crypto);
  storage::CodeRecord record;
  record.code_hash = code_secret.hash_hex;
  record.grant_id = grant.id;
  record.client_id = grant.client_id;
  record.user_id = grant.user_id;
  record.redirect_uri = request.redirect_uri;
  record.code_challenge = request.code_challenge;
  record.resource = grant.resource;
  record.scope = grant.scope;
  record.expires_at = grant.expires_at;
  std::vector<storage::Statement> statements = std::move(person.statements);
  statements.push_back(storage::insert_grant_statement(grant));
  statements.push_back(storage::insert_code_statement(record));
  std::vector<host::SqlResult> results = co_await host::d1_batch(io, std::move(statements));
  if (!batch_ok(results)) {
    log.log(logging::LogLevel::kError, "sign-in stored",
            {{"user", person.user_id}, {"outcome", "failed"}, {"reason", "d1 batch failed"}});
    co_return client_error_redirect(identity, request, "temporarily_unavailable",
                                    "the sign-in could not be stored; try again");
  }
  log.log(logging::LogLevel::kInfo, "sign-in stored",
          {{"user", person.user_id},
           {"client", request.client_id},
           {"scope", request.scope},
           {"outcome", "code issued"}});
  co_return oauth::redirect_response(oauth::build_authorization_redirect(
      request.redirect_uri, code_secret.value, request.state, identity.issuer));
}

}  // namespace bmcp::signin
