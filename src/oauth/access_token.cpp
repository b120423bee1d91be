#include "oauth/access_token.hpp"

namespace bmcp::oauth {
namespace {

AccessTokenVerification reject(JwtError error, std::string message) {
  AccessTokenVerification result;
  result.error = error;
  result.message = std::move(message);
  return result;
}

}  // namespace

Json access_token_claims_to_json(const AccessTokenClaims& claims) {
  Json json = Json::object();
  json["sub"] = claims.subject;
  if (!claims.email.empty()) json["email"] = claims.email;
  json["iss"] = claims.issuer;
  json["aud"] = claims.audience;
  json["client_id"] = claims.client_id;
  json["scope"] = claims.scope;
  json["gid"] = claims.grant_id;
  json["jti"] = claims.token_id;
  json["iat"] = claims.issued_at;
  json["exp"] = claims.expires_at;
  return json;
}

std::optional<std::string> issue_access_token(const CryptoPort& crypto, std::string_view secret,
                                              const AccessTokenClaims& claims) {
  return sign_jwt_hs256(crypto, secret, access_token_claims_to_json(claims), kAccessTokenType);
}

AccessTokenVerification verify_access_token(const CryptoPort& crypto, std::string_view secret,
                                            std::string_view token,
                                            std::string_view expected_issuer,
                                            std::string_view expected_audience, std::int64_t now,
                                            std::int64_t leeway_seconds,
                                            VerifiedJwtCache* remembered) {
  JwtExpectations expectations;
  expectations.now = now;
  expectations.leeway_seconds = leeway_seconds;
  expectations.issuer = std::string(expected_issuer);
  expectations.audience = std::string(expected_audience);
  expectations.type = std::string(kAccessTokenType);
  expectations.require_expiry = true;

  JwtVerification verified = verify_jwt_hs256(crypto, secret, token, expectations, remembered);
  if (!verified.ok()) return reject(verified.error, std::move(verified.message));

  const Json& json = verified.claims;
  AccessTokenVerification result;
  AccessTokenClaims& claims = result.claims;

  // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti are required; gid and scope are
  // ours and required too. The aud check above already matched; store the value we expect.
  struct RequiredString {
    std::string_view name;
    std::string* target;
  };
  for (const RequiredString& field :
       {RequiredString{"sub", &claims.subject}, RequiredString{"client_id", &claims.client_id},
        RequiredString{"gid", &claims.grant_id}, RequiredString{"jti", &claims.token_id}}) {
    std::optional<std::string> value = get_string(json, field.name);
    if (!value || value->empty())
      return reject(JwtError::InvalidClaim, std::string(field.name) + " is missing");
    *field.target = std::move(*value);
  }
  std::optional<std::string> scope = get_string(json, "scope");
  if (!scope) return reject(JwtError::InvalidClaim, "scope is missing");
  claims.scope = std::move(*scope);
  if (const Json* email = find_member(json, "email")) {
    std::optional<std::string> text = as_string(*email);
    if (!text) return reject(JwtError::InvalidClaim, "email is not a string");
    claims.email = std::move(*text);
  }
  std::optional<std::int64_t> iat = get_int(json, "iat");
  std::optional<std::int64_t> exp = get_int(json, "exp");
  if (!iat || !exp) return reject(JwtError::InvalidClaim, "iat or exp is not an integer");
  claims.issued_at = *iat;
  claims.expires_at = *exp;
  claims.issuer = std::string(expected_issuer);
  claims.audience = std::string(expected_audience);
  return result;
}

}  // namespace bmcp::oauth
