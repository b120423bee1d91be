#include "oauth/bearer_check.hpp"

#include "brokers/broker.hpp"
#include "oauth/access_token.hpp"
#include "oauth/authorization_header.hpp"
#include "oauth/form_encoding.hpp"
#include "oauth/scopes.hpp"
#include "storage/oauth_grants_table.hpp"
#include "storage/users_table.hpp"

namespace bmcp::oauth {
namespace {

bool is_legacy_path(std::string_view path) { return path == "/sse" || path == "/sse/message"; }

std::string broker_display(std::string_view provider) {
  switch (brokers::broker_named(provider)) {
    case brokers::Broker::Schwab: return "Charles Schwab";
    case brokers::Broker::Tastytrade: return "tastytrade";
    case brokers::Broker::None: break;
  }
  return "broker";
}

}  // namespace

http::Response bearer_challenge(const ServerIdentity& identity, std::string_view path, int status,
                                std::string_view error, std::string_view description) {
  std::string challenge =
      "Bearer resource_metadata=\"" +
      identity.protected_resource_metadata_url(is_legacy_path(path) ? "/sse" : "/mcp") +
      "\", scope=\"" + all_scopes() + "\"";
  Json body = Json::object();
  if (!error.empty()) {
    challenge += ", error=\"" + std::string(error) + "\"";
    if (!description.empty())
      challenge += ", error_description=\"" + std::string(description) + "\"";
    body["error"] = std::string(error);
  } else {
    body["error"] = "unauthorized";
  }
  body["error_description"] =
      description.empty() ? std::string("sign in to use this server") : std::string(description);
  http::Response r = http::Response::json(status, body);
  r.set("WWW-Authenticate", challenge);
  r.set("Cache-Control", "no-store");
  return r;
}

Task<BearerCheck> authenticate_bearer(Io& io, const ServerSettings& settings,
                                      const http::Request& request, BearerMemory memory) {
  BearerCheck out;
  const std::string& path = request.parsed_url.path;
  ServerIdentity identity = server_identity(settings, request);
  auto reject = [&](int status, std::string_view error, std::string_view description) {
    out.rejection = bearer_challenge(identity, path, status, error, description);
    out.principal = mcp::Principal{};
  };

  // A token in the URL would end up in logs and histories (RFC 6750 §2.3, MCP
  // authorization#token-requirements): refused even when the rest of the query is garbage.
  ParsedForm query = parse_query_string(request.parsed_url.query);
  if (query.find("access_token") != nullptr ||
      (!query.ok() && request.parsed_url.query.find("access_token") != std::string::npos)) {
    reject(400, "invalid_request",
           "access tokens are not accepted in the query string; use the Authorization header");
    co_return out;
  }
  auto header = request.header("Authorization");
  if (!header) {
    reject(401, "", "");
    co_return out;
  }
  auto token = parse_bearer(*header);
  if (!token) {
    reject(401, "invalid_token", "the Authorization header does not carry a Bearer token");
    co_return out;
  }
  const std::int64_t now = io.now_ms() / 1000;
  const std::string& primary = is_legacy_path(path) ? identity.sse_resource : identity.mcp_resource;
  const std::string& other = is_legacy_path(path) ? identity.mcp_resource : identity.sse_resource;
  AccessTokenVerification verified =
      verify_access_token(io.crypto(), settings.jwt_secret, *token, identity.issuer, primary, now,
                          kAccessTokenLeewaySeconds, memory.signatures);
  if (verified.error == JwtError::WrongAudience)
    verified = verify_access_token(io.crypto(), settings.jwt_secret, *token, identity.issuer, other,
                                   now, kAccessTokenLeewaySeconds, memory.signatures);
  if (!verified.ok()) {
    switch (verified.error) {
      case JwtError::Expired: reject(401, "invalid_token", "the access token has expired"); break;
      case JwtError::WrongAudience:
        reject(401, "invalid_token", "the access token was issued for another resource");
        break;
      case JwtError::WrongIssuer:
        reject(401, "invalid_token", "the access token was issued by another server");
        break;
      default: reject(401, "invalid_token", "the access token is invalid"); break;
    }
    co_return out;
  }
  const AccessTokenClaims& claims = verified.claims;
  std::string provider = storage::provider_of_user(claims.subject);
  if (brokers::broker_named(provider) == brokers::Broker::None) {
    reject(401, "invalid_token", "the access token is invalid");
    co_return out;
  }
  const bool direct = claims.client_id == kDirectSignInClientId;
  if (direct && !settings.direct_sign_in) {
    reject(401, "invalid_token",
           "sign-ins started at the broker are turned off on this server; connect from your app");
    co_return out;
  }
  out.principal.user_id = claims.subject;
  out.principal.email = claims.email;
  out.principal.broker = provider;
  // A direct sign-in is read-only whatever its token says (nobody approved trading for it).
  out.principal.scope = direct ? std::string(kScopeRead) : claims.scope;
  out.principal.grant_id = claims.grant_id;
  out.principal.authenticated = true;
  GrantCache* cache = memory.grants;
  if (cache && cache->is_live(claims.grant_id, claims.subject, io.now_ms())) co_return out;

  storage::Lookup<storage::GrantStatus> status =
      co_await storage::grant_status(io, claims.grant_id, claims.subject, provider);
  if (!status.storage_ok) {
    http::Response r =
        http::Response::json(503, {{"error", "temporarily_unavailable"},
                                   {"error_description", "storage is unavailable; try again"}});
    r.set("Retry-After", "2");
    out.rejection = std::move(r);
    co_return out;
  }
  if (!status.row || status.row->revoked) {
    reject(401, "invalid_token", "the access token has been revoked");
    co_return out;
  }
  if (!status.row->broker_tokens_present || !status.row->broker_invalid_reason.empty()) {
    reject(401, "invalid_token",
           "your " + broker_display(provider) + " sign-in has expired; sign in again");
    co_return out;
  }
  if (cache) cache->remember_live(claims.grant_id, claims.subject, io.now_ms());
  co_return out;
}

}  // namespace bmcp::oauth
