#include "oauth/revocation_endpoint.hpp"

#include "oauth/client_authentication.hpp"
#include "oauth/jwt.hpp"
#include "oauth/refresh_token.hpp"
#include "oauth/responses.hpp"
#include "storage/oauth_grants_table.hpp"
#include "storage/oauth_refresh_tokens_table.hpp"

namespace bmcp::oauth {
namespace {

http::Response revoked() {
  http::Response r = http::Response::empty(200);
  r.set("Cache-Control", "no-store");
  return r;
}

// The grant (id, user) named by a live access token of ours issued to `client_id`. An
// expired access token is already useless; revoking it is a no-op.
std::optional<std::pair<std::string, std::string>> grant_of_access_token(
    const CryptoPort& crypto, const ServerSettings& settings, const ServerIdentity& identity,
    std::string_view token, const std::string& client_id, std::int64_t now_seconds) {
  JwtExpectations expect;
  expect.issuer = identity.issuer;
  expect.type = "at+jwt";
  expect.now = now_seconds;
  for (const std::string& audience : {identity.mcp_resource, identity.sse_resource}) {
    expect.audience = audience;
    JwtVerification v = verify_jwt_hs256(crypto, settings.jwt_secret, token, expect);
    if (!v.ok()) continue;
    auto gid = get_string(v.claims, "gid");
    auto sub = get_string(v.claims, "sub");
    auto cid = get_string(v.claims, "client_id");
    if (!gid || !sub || !cid || *cid != client_id) return std::nullopt;
    return std::make_pair(*gid, *sub);
  }
  return std::nullopt;
}

}  // namespace

Task<http::Response> revocation_endpoint(Io& io, const ServerSettings& settings,
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
  auto token = form.oauth_parameter("token");
  if (!token) co_return oauth_error_response(400, "invalid_request", "token is required");

  const CryptoPort& crypto = io.crypto();
  const std::int64_t now_ms = io.now_ms();
  if (looks_like_opaque_secret(*token)) {
    std::string hash = hash_refresh_token(crypto, *token);
    storage::Lookup<storage::GrantRecord> grant =
        co_await storage::find_grant_by_refresh_hash(io, hash);
    if (grant.storage_ok && !grant.row)
      grant = co_await storage::find_grant_by_previous_refresh_hash(io, hash);
    if (grant.storage_ok && !grant.row) {
      // An older member of the grant's token family still names the grant (RFC 7009 §2.1:
      // revoking a refresh token revokes the authorization it belongs to).
      storage::Lookup<storage::RefreshTokenMember> member =
          co_await storage::find_refresh_token_member(io, hash);
      if (!member.storage_ok) grant.storage_ok = false;
      else if (member.row)
        grant = co_await storage::find_grant(io, member.row->grant_id, member.row->user_id);
    }
    if (!grant.storage_ok)
      co_return oauth_error_response(503, "temporarily_unavailable",
                                     "storage is unavailable; try again");
    if (grant.row && grant.row->client_id == auth.client.client_id) {
      storage::Write w =
          co_await storage::revoke_grant(io, grant.row->id, grant.row->user_id, now_ms);
      if (cache) cache->forget_grant(grant.row->id);
      if (!w.storage_ok)
        co_return oauth_error_response(503, "temporarily_unavailable",
                                       "storage is unavailable; try again");
    }
    co_return revoked();
  }
  ServerIdentity identity = server_identity(settings, request);
  auto owned = grant_of_access_token(crypto, settings, identity, *token, auth.client.client_id,
                                     now_ms / 1000);
  if (owned) {
    storage::Write w = co_await storage::revoke_grant(io, owned->first, owned->second, now_ms);
    if (cache) cache->forget_grant(owned->first);
    if (!w.storage_ok)
      co_return oauth_error_response(503, "temporarily_unavailable",
                                     "storage is unavailable; try again");
  }
  co_return revoked();
}

}  // namespace bmcp::oauth
