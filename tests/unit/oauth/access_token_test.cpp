#include <catch2/catch.hpp>

#include "crypto/base64.hpp"
#include "oauth/access_token.hpp"
#include "support/openssl_crypto.hpp"

using bmcp::oauth::AccessTokenClaims;
using bmcp::oauth::issue_access_token;
using bmcp::oauth::JwtError;
using bmcp::oauth::verify_access_token;

namespace {
const std::string kSecret = "access-token-secret-0123456789-ABCDEFGHIJ";
const std::string kIssuer = "https://mcp.example.com";
const std::string kResource = "https://mcp.example.com/mcp";
constexpr std::int64_t kNow = 1'760'000'000;

AccessTokenClaims sample_claims() {
  AccessTokenClaims claims;
  claims.subject = "tt-external-id-1";
  claims.email = "trader@example.com";
  claims.issuer = kIssuer;
  claims.audience = kResource;
  claims.client_id = "client-abc";
  claims.scope = "mcp:read mcp:trade";
  claims.grant_id = "grant-1";
  claims.token_id = "jti-1";
  claims.issued_at = kNow;
  claims.expires_at = kNow + 3600;
  return claims;
}
}  // namespace

TEST_CASE("access tokens round-trip with every claim", "[oauth][access_token]") {
  bmcp::testing::OpenSslCrypto crypto;
  auto token = issue_access_token(crypto, kSecret, sample_claims());
  REQUIRE(token.has_value());
  auto header = bmcp::crypto::base64url_decode(token->substr(0, token->find('.'))).value();
  CHECK(header == R"({"alg":"HS256","typ":"at+jwt"})");

  auto verified = verify_access_token(crypto, kSecret, *token, kIssuer, kResource, kNow + 5);
  REQUIRE(verified.ok());
  const AccessTokenClaims& claims = verified.claims;
  CHECK(claims.subject == "tt-external-id-1");
  CHECK(claims.email == "trader@example.com");
  CHECK(claims.issuer == kIssuer);
  CHECK(claims.audience == kResource);
  CHECK(claims.client_id == "client-abc");
  CHECK(claims.scope == "mcp:read mcp:trade");
  CHECK(claims.grant_id == "grant-1");
  CHECK(claims.token_id == "jti-1");
  CHECK(claims.issued_at == kNow);
  CHECK(claims.expires_at == kNow + 3600);

  SECTION("email is optional") {
    AccessTokenClaims without_email = sample_claims();
    without_email.email.clear();
    auto other = issue_access_token(crypto, kSecret, without_email).value();
    auto result = verify_access_token(crypto, kSecret, other, kIssuer, kResource, kNow);
    REQUIRE(result.ok());
    CHECK(result.claims.email.empty());
  }
}

TEST_CASE("access tokens are refused for another resource, issuer, time or type",
          "[oauth][access_token]") {
  bmcp::testing::OpenSslCrypto crypto;
  const std::string token = issue_access_token(crypto, kSecret, sample_claims()).value();
  CHECK(verify_access_token(crypto, kSecret, token, kIssuer, "https://other.example.com/mcp", kNow)
            .error == JwtError::WrongAudience);
  CHECK(verify_access_token(crypto, kSecret, token, "https://other.example.com", kResource, kNow)
            .error == JwtError::WrongIssuer);
  CHECK(verify_access_token(crypto, kSecret, token, kIssuer, kResource, kNow + 3600).error ==
        JwtError::Expired);
  CHECK(verify_access_token(crypto, kSecret, token, kIssuer, kResource, kNow - 60).error ==
        JwtError::NotYetValid);
  CHECK(verify_access_token(crypto, kSecret, token, kIssuer, kResource, kNow - 60, 60).ok());
  CHECK(verify_access_token(crypto, "another-secret-0123456789-abcdefghijkl", token, kIssuer,
                            kResource, kNow)
            .error == JwtError::BadSignature);

  SECTION("a plain JWT signed with the same secret is not an access token") {
    auto plain = bmcp::oauth::sign_jwt_hs256(
        crypto, kSecret, bmcp::oauth::access_token_claims_to_json(sample_claims()));
    CHECK(verify_access_token(crypto, kSecret, plain.value(), kIssuer, kResource, kNow).error ==
          JwtError::BadType);
  }
  SECTION("required claims") {
    for (const char* name : {"sub", "client_id", "gid", "jti", "scope"}) {
      auto json = bmcp::oauth::access_token_claims_to_json(sample_claims());
      json.erase(name);
      auto incomplete = bmcp::oauth::sign_jwt_hs256(crypto, kSecret, json, "at+jwt").value();
      INFO(name);
      CHECK(verify_access_token(crypto, kSecret, incomplete, kIssuer, kResource, kNow).error ==
            JwtError::InvalidClaim);
    }
    auto json = bmcp::oauth::access_token_claims_to_json(sample_claims());
    json["email"] = 3;
    auto bad_email = bmcp::oauth::sign_jwt_hs256(crypto, kSecret, json, "at+jwt").value();
    CHECK(verify_access_token(crypto, kSecret, bad_email, kIssuer, kResource, kNow).error ==
          JwtError::InvalidClaim);
    json = bmcp::oauth::access_token_claims_to_json(sample_claims());
    json.erase("iat");
    auto no_iat = bmcp::oauth::sign_jwt_hs256(crypto, kSecret, json, "at+jwt").value();
    CHECK(verify_access_token(crypto, kSecret, no_iat, kIssuer, kResource, kNow).error ==
          JwtError::InvalidClaim);
  }
}
