#include "oauth/token_endpoint.hpp"

#include "crypto/base64.hpp"
#include "oauth/access_token.hpp"
#include "oauth/client_authentication.hpp"
#include "oauth/pkce.hpp"
#include "oauth/refresh_token.hpp"
#include "oauth/responses.hpp"
#include "oauth/scopes.hpp"
#include "storage/oauth_clients_table.hpp"
#include "storage/oauth_codes_table.hpp"
#include "storage/oauth_grants_table.hpp"
#include "storage/oauth_refresh_tokens_table.hpp"
#include "storage/users_table.hpp"

namespace bmcp::oauth {
namespace {

http::Response grant_error(std::string_view description) {
  return oauth_error_response(400, "invalid_grant", description);
}

http::Response unavailable() {
  return oauth_error_response(503, "temporarily_unavailable", "storage is unavailable; try again");
}

// A superseded refresh token came back: it was copied, and either the copy or the client
// is now using the newer one; we cannot tell which is which, so the whole grant ends
// (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2), and the bearer check stops trusting it at once.
Task<http::Response> end_reused_grant(Io& io, const std::string& grant_id,
                                      const std::string& user_id, GrantCache* cache) {
  co_await storage::revoke_grant(io, grant_id, user_id, io.now_ms());
  if (cache) cache->forget_grant(grant_id);
  co_return grant_error("the refresh token was already used; this authorization has been revoked");
}

// Every refresh token handed out is first recorded in the grant's family, so its reuse is
// recognised later; members older than the refresh-token lifetime are dropped.
Task<storage::Write> record_in_family(Io& io, const std::string& grant_id,
                                      const std::string& user_id, const std::string& hash) {
  const std::int64_t now_ms = io.now_ms();
  co_return co_await storage::record_refresh_token(io, grant_id, user_id, hash, now_ms,
                                                   now_ms - kRefreshTokenLifetimeSeconds * 1000);
}

struct Issued {
  std::optional<http::Response> error;
  Json body;
};

Task<http::Response> answer_tokens(Io& io, const ServerSettings& settings,
                                   const ServerIdentity& identity, AccessTokenGrant grant,
                                   std::string refresh_token) {
  // The client is in use: it does not expire (storage/oauth_clients_table.hpp).
  co_await storage::mark_client_used(io, grant.client_id, io.now_ms());
  storage::Lookup<std::string> email = co_await storage::find_user_email(io, grant.user_id);
  if (email.row) grant.email = *email.row;
  auto access = mint_access_token(io.crypto(), settings, identity, grant, io.now_ms() / 1000);
  if (!access)
    co_return oauth_error_response(500, "server_error", "the access token could not be signed");
  Json body = {{"access_token", *access},
               {"token_type", "Bearer"},
               {"expires_in", grant.lifetime_seconds},
               {"scope", grant.scope}};
  if (!refresh_token.empty()) body["refresh_token"] = refresh_token;
  co_return no_store_json(200, body);
}

Task<http::Response> exchange_code(Io& io, const ServerSettings& settings,
                                   const ServerIdentity& identity,
                                   const storage::ClientRecord& client, const ParsedForm& form,
                                   GrantCache* cache) {
  auto code = form.oauth_parameter("code");
  auto redirect_uri = form.oauth_parameter("redirect_uri");
  auto verifier = form.oauth_parameter("code_verifier");
  if (!code) co_return oauth_error_response(400, "invalid_request", "code is required");
  if (!redirect_uri)
    co_return oauth_error_response(400, "invalid_request", "redirect_uri is required");
  if (!verifier)
    co_return oauth_error_response(400, "invalid_request", "code_verifier is required (PKCE)");
  if (!looks_like_opaque_secret(*code)) co_return grant_error("the authorization code is invalid");

  const CryptoPort& crypto = io.crypto();
  const std::int64_t now_ms = io.now_ms();
  std::string code_hash = hash_authorization_code(crypto, *code);
  storage::Lookup<storage::CodeRecord> found = co_await storage::find_code(io, code_hash);
  if (!found.storage_ok) co_return unavailable();
  if (!found.row) co_return grant_error("the authorization code is invalid");
  const storage::CodeRecord& record = *found.row;
  if (record.client_id != client.client_id)
    co_return grant_error("the authorization code was issued to another client");
  if (record.used_at) {
    // A second use: someone else may hold the code. Revoke what the first use issued.
    co_await storage::revoke_grant(io, record.grant_id, record.user_id, now_ms);
    if (cache) cache->forget_grant(record.grant_id);
    co_return grant_error(
        "the authorization code was already used; the access it granted has been revoked");
  }
  if (now_ms >= record.expires_at) co_return grant_error("the authorization code has expired");
  if (*redirect_uri != record.redirect_uri)
    co_return grant_error("redirect_uri does not match the authorization request");
  if (auto resource = form.oauth_parameter("resource")) {
    auto matched = match_resource(identity, *resource);
    if (!matched || *matched != record.resource)
      co_return oauth_error_response(400, "invalid_target",
                                     "resource does not match the authorization request");
  }
  if (!verify_s256_code_challenge(crypto, *verifier, record.code_challenge))
    co_return grant_error("code_verifier does not match the code_challenge");

  storage::Write consumed = co_await storage::consume_code(io, record, now_ms);
  if (!consumed.storage_ok) co_return unavailable();
  if (!consumed.applied) {
    co_await storage::revoke_grant(io, record.grant_id, record.user_id, now_ms);
    if (cache) cache->forget_grant(record.grant_id);
    co_return grant_error(
        "the authorization code was already used; the access it granted has been revoked");
  }

  std::string refresh;
  if (client.allows_grant("refresh_token")) {
    OpaqueSecret secret = generate_refresh_token(crypto);
    storage::GrantRecord grant;
    grant.id = record.grant_id;
    grant.user_id = record.user_id;
    storage::Write recorded =
        co_await record_in_family(io, grant.id, grant.user_id, secret.hash_hex);
    if (!recorded.storage_ok) co_return unavailable();
    storage::Write activated = co_await storage::activate_grant(
        io, grant, secret.hash_hex, now_ms + kRefreshTokenLifetimeSeconds * 1000);
    if (!activated.storage_ok) co_return unavailable();
    if (!activated.applied) co_return grant_error("the authorization was revoked");
    refresh = std::move(secret.value);
  }
  AccessTokenGrant grant;
  grant.user_id = record.user_id;
  grant.client_id = client.client_id;
  grant.scope = record.scope;
  grant.grant_id = record.grant_id;
  grant.audience = record.resource;
  co_return co_await answer_tokens(io, settings, identity, std::move(grant), std::move(refresh));
}

Task<http::Response> refresh(Io& io, const ServerSettings& settings, const ServerIdentity& identity,
                             const storage::ClientRecord& client, const ParsedForm& form,
                             GrantCache* cache) {
  auto presented = form.oauth_parameter("refresh_token");
  if (!presented)
    co_return oauth_error_response(400, "invalid_request", "refresh_token is required");
  if (!looks_like_opaque_secret(*presented)) co_return grant_error("the refresh token is invalid");
  const CryptoPort& crypto = io.crypto();
  const std::int64_t now_ms = io.now_ms();
  std::string hash = hash_refresh_token(crypto, *presented);

  // Which member of a token family is this (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2)? The
  // current token rotates; the previous one may be retried once inside its grace window (a
  // client that lost the answer); any other token the grant issued is a copy being replayed.
  storage::Lookup<storage::GrantRecord> current =
      co_await storage::find_grant_by_refresh_hash(io, hash);
  if (!current.storage_ok) co_return unavailable();
  bool within_grace = false;
  std::optional<storage::GrantRecord> grant = current.row;
  if (!grant) {
    storage::Lookup<storage::GrantRecord> previous =
        co_await storage::find_grant_by_previous_refresh_hash(io, hash);
    if (!previous.storage_ok) co_return unavailable();
    if (previous.row) {
      if (previous.row->client_id != client.client_id)
        co_return grant_error("the refresh token is invalid");
      // After the grace window, or after its one retry (which closes the window).
      if (!previous.row->previous_valid_until || now_ms >= *previous.row->previous_valid_until)
        co_return co_await end_reused_grant(io, previous.row->id, previous.row->user_id, cache);
      within_grace = true;
      grant = previous.row;
    } else {
      storage::Lookup<storage::RefreshTokenMember> member =
          co_await storage::find_refresh_token_member(io, hash);
      if (!member.storage_ok) co_return unavailable();
      if (!member.row) co_return grant_error("the refresh token is invalid");
      storage::Lookup<storage::GrantRecord> owner =
          co_await storage::find_grant(io, member.row->grant_id, member.row->user_id);
      if (!owner.storage_ok) co_return unavailable();
      if (!owner.row || owner.row->client_id != client.client_id)
        co_return grant_error("the refresh token is invalid");
      // Superseded (by a rotation or by the previous token's retry): used before.
      co_return co_await end_reused_grant(io, owner.row->id, owner.row->user_id, cache);
    }
  }
  if (grant->client_id != client.client_id)
    co_return grant_error("the refresh token was issued to another client");
  if (grant->revoked_at || now_ms >= grant->expires_at)
    co_return grant_error("the refresh token has expired");

  std::string scope = grant->scope;
  if (auto requested = form.oauth_parameter("scope")) {
    ScopeCheck check = check_requested_scope(*requested);
    if (!check.scope || !scope_within(*check.scope, grant->scope))
      co_return oauth_error_response(400, "invalid_scope", "scope exceeds what was granted");
    scope = *check.scope;
  }
  if (auto resource = form.oauth_parameter("resource")) {
    auto matched = match_resource(identity, *resource);
    if (!matched || *matched != grant->resource)
      co_return oauth_error_response(400, "invalid_target", "resource does not match the grant");
  }
  std::string provider = storage::provider_of_user(grant->user_id);
  storage::Lookup<storage::GrantStatus> status =
      co_await storage::grant_status(io, grant->id, grant->user_id, provider);
  if (!status.storage_ok) co_return unavailable();
  if (!status.row || status.row->revoked) co_return grant_error("the authorization was revoked");
  if (!status.row->broker_tokens_present || !status.row->broker_invalid_reason.empty())
    co_return grant_error("the broker sign-in has expired; sign in again");

  OpaqueSecret next = generate_refresh_token(crypto);
  const std::int64_t expires_at = now_ms + kRefreshTokenLifetimeSeconds * 1000;
  storage::Write recorded = co_await record_in_family(io, grant->id, grant->user_id, next.hash_hex);
  if (!recorded.storage_ok) co_return unavailable();
  storage::Write written;
  if (within_grace) {
    written =
        co_await storage::reissue_within_grace(io, *grant, hash, next.hash_hex, expires_at, now_ms);
  } else {
    written = co_await storage::rotate_refresh_token(
        io, *grant, hash, next.hash_hex, now_ms + kRefreshRetryGraceSeconds * 1000, expires_at);
    if (written.storage_ok && !written.applied) {
      // A concurrent refresh with the same token rotated first: this is its one retry.
      written = co_await storage::reissue_within_grace(io, *grant, hash, next.hash_hex, expires_at,
                                                       now_ms);
    }
  }
  // Not applied: a concurrent request used this token's last chance first (or the grant
  // ended meanwhile). Either way the token was presented once too often.
  if (written.storage_ok && !written.applied)
    co_return co_await end_reused_grant(io, grant->id, grant->user_id, cache);
  if (!written.storage_ok) co_return unavailable();

  AccessTokenGrant access;
  access.user_id = grant->user_id;
  access.client_id = client.client_id;
  access.scope = scope;
  access.grant_id = grant->id;
  access.audience = grant->resource;
  co_return co_await answer_tokens(io, settings, identity, std::move(access),
                                   std::move(next.value));
}

}  // namespace

std::optional<std::string> mint_access_token(const CryptoPort& crypto,
                                             const ServerSettings& settings,
                                             const ServerIdentity& identity,
                                             const AccessTokenGrant& grant,
                                             std::int64_t now_seconds) {
  AccessTokenClaims claims;
  claims.subject = grant.user_id;
  claims.email = grant.email;
  claims.issuer = identity.issuer;
  claims.audience = grant.audience;
  claims.client_id = grant.client_id;
  claims.scope = grant.scope;
  claims.grant_id = grant.grant_id;
  claims.token_id = crypto::base64url_encode(crypto.random_bytes(16));
  claims.issued_at = now_seconds;
  claims.expires_at = now_seconds + grant.lifetime_seconds;
  return issue_access_token(crypto, settings.jwt_secret, claims);
}

Task<http::Response> token_endpoint(Io& io, const ServerSettings& settings,
                                    const http::Request& request, GrantCache* cache) {
  if (request.method != "POST") {
    http::Response r = oauth_error_response(405, "invalid_request", "use POST");
    r.set("Allow", "POST");
    co_return r;
  }
  auto content_type = request.header("Content-Type");
  if (!content_type ||
      std::string(*content_type).find("application/x-www-form-urlencoded") == std::string::npos)
    co_return oauth_error_response(400, "invalid_request",
                                   "Content-Type must be application/x-www-form-urlencoded");
  ParsedForm form = parse_form_urlencoded(request.body);
  if (!form.ok())
    co_return oauth_error_response(400, "invalid_request",
                                   "the form body is malformed: " + form.message);
  auto repeated = form.repeated_names();
  if (!repeated.empty())
    co_return oauth_error_response(400, "invalid_request",
                                   "parameter " + repeated.front() + " is repeated");

  ClientAuthentication auth = co_await authenticate_client(io, settings, request, form);
  if (!auth.ok()) co_return client_authentication_error(auth);

  auto grant_type = form.oauth_parameter("grant_type");
  if (!grant_type) co_return oauth_error_response(400, "invalid_request", "grant_type is required");
  if (*grant_type != "authorization_code" && *grant_type != "refresh_token")
    co_return oauth_error_response(400, "unsupported_grant_type",
                                   "grant_type must be authorization_code or refresh_token");
  if (!auth.client.allows_grant(*grant_type))
    co_return oauth_error_response(400, "unauthorized_client",
                                   "this client did not register that grant type");

  ServerIdentity identity = server_identity(settings, request);
  if (*grant_type == "authorization_code")
    co_return co_await exchange_code(io, settings, identity, auth.client, form, cache);
  co_return co_await refresh(io, settings, identity, auth.client, form, cache);
}

}  // namespace bmcp::oauth
