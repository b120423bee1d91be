#include <catch2/catch.hpp>

#include <random>

#include "crypto/base64.hpp"
#include "oauth/jwt.hpp"
#include "oauth/verified_jwt_cache.hpp"
#include "support/openssl_crypto.hpp"

using bmcp::Json;
using bmcp::oauth::JwtError;
using bmcp::oauth::JwtExpectations;
using bmcp::oauth::sign_jwt_hs256;
using bmcp::oauth::VerifiedJwtCache;
using bmcp::oauth::verify_jwt_hs256;
namespace b64 = bmcp::crypto;

namespace {

const std::string kSecret = "test-signing-secret-0123456789-abcdefghijklmnop";
constexpr std::int64_t kNow = 1'760'000'000;
const std::string kAudience = "https://mcp.example.com/mcp";
const std::string kIssuer = "https://mcp.example.com";

JwtExpectations expectations_at(std::int64_t now) {
  JwtExpectations expect;
  expect.now = now;
  expect.audience = kAudience;
  expect.issuer = kIssuer;
  return expect;
}

Json valid_claims() {
  return Json{{"sub", "user-1"},  {"email", "a@example.com"}, {"iss", kIssuer}, {"aud", kAudience},
              {"iat", kNow - 10}, {"exp", kNow + 3600},       {"jti", "t1"}};
}

// Builds a token from raw header and payload JSON text, signed with HMAC-SHA256 whatever the
// header says: what an attacker (or a confused library) could produce.
std::string forge(const bmcp::CryptoPort& crypto, std::string_view header, std::string_view payload,
                  std::string_view secret = kSecret) {
  std::string input = b64::base64url_encode(header) + "." + b64::base64url_encode(payload);
  return input + "." + b64::base64url_encode(crypto.hmac_sha256(secret, input));
}

std::string sign(const bmcp::CryptoPort& crypto, const Json& claims) {
  return sign_jwt_hs256(crypto, kSecret, claims).value();
}

// `token` with its payload replaced by `claims`, its header and signature kept.
std::string with_payload(const std::string& token, const Json& claims) {
  return token.substr(0, token.find('.') + 1) + b64::base64url_encode(bmcp::dump_json(claims)) +
         token.substr(token.rfind('.'));
}

// The real primitives, with the HMACs counted.
class CountingCrypto final : public bmcp::CryptoPort {
 public:
  std::string sha256(std::string_view d) const override { return real.sha256(d); }
  std::string hmac_sha256(std::string_view k, std::string_view d) const override {
    ++hmacs;
    return real.hmac_sha256(k, d);
  }
  std::optional<std::string> aes256gcm_seal(std::string_view k, std::string_view iv,
                                            std::string_view p, std::string_view a) const override {
    return real.aes256gcm_seal(k, iv, p, a);
  }
  std::optional<std::string> aes256gcm_open(std::string_view k, std::string_view iv,
                                            std::string_view s, std::string_view a) const override {
    return real.aes256gcm_open(k, iv, s, a);
  }
  std::string random_bytes(std::size_t n) const override { return real.random_bytes(n); }
  bool constant_time_equal(std::string_view a, std::string_view b) const override {
    return real.constant_time_equal(a, b);
  }
  bmcp::testing::OpenSslCrypto real;
  mutable int hmacs = 0;
};

// An access token's expectations: expectations_at with typ at+jwt.
JwtExpectations expect_at(std::int64_t now) {
  JwtExpectations e = expectations_at(now);
  e.type = "at+jwt";
  return e;
}

// Claims that expire two minutes after kNow, inside the verified-token cache's lifetime.
Json claims() {
  return Json{{"sub", "user-1"},  {"iss", kIssuer},    {"aud", kAudience},
              {"iat", kNow - 10}, {"exp", kNow + 120}, {"jti", "t1"}};
}

}  // namespace

TEST_CASE("JWT verifies the RFC 7515 Appendix A.1 HS256 example", "[oauth][jwt]") {
  bmcp::testing::OpenSslCrypto crypto;
  // RFC 7515 A.1: the JWK "k" of the example's symmetric key, and the compact JWS it produces.
  const std::string key =
      b64::base64url_decode(
          "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
          .value();
  const std::string token =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
      ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnV"
      "lfQ"
      ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

  JwtExpectations expect;
  expect.now = 1300819380 - 1;  // the example expired in 2011; check it just before exp
  expect.issuer = "joe";
  auto verified = verify_jwt_hs256(crypto, key, token, expect);
  REQUIRE(verified.ok());
  CHECK(bmcp::get_string(verified.claims, "iss") == "joe");
  CHECK(bmcp::get_bool(verified.claims, "http://example.com/is_root") == true);

  SECTION("at exp it is expired (RFC 7519 §4.1.4: now MUST be before exp)") {
    expect.now = 1300819380;
    CHECK(verify_jwt_hs256(crypto, key, token, expect).error == JwtError::Expired);
  }
  SECTION("typ JWT matches an expected type of JWT") {
    expect.type = "JWT";
    CHECK(verify_jwt_hs256(crypto, key, token, expect).ok());
  }
  SECTION("another key fails") {
    CHECK(verify_jwt_hs256(crypto, kSecret, token, expect).error == JwtError::BadSignature);
  }
}

TEST_CASE("JWT sign and verify round-trip", "[oauth][jwt]") {
  bmcp::testing::OpenSslCrypto crypto;
  const std::string token = sign(crypto, valid_claims());
  auto verified = verify_jwt_hs256(crypto, kSecret, token, expectations_at(kNow));
  REQUIRE(verified.ok());
  CHECK(verified.claims == valid_claims());
  CHECK(verified.message.empty());

  SECTION("the header is exactly alg HS256, typ JWT") {
    CHECK(b64::base64url_decode(token.substr(0, token.find('.'))).value() ==
          R"({"alg":"HS256","typ":"JWT"})");
  }
  SECTION("signing refuses non-object claims and an empty secret") {
    CHECK_FALSE(sign_jwt_hs256(crypto, kSecret, Json::array()).has_value());
    CHECK_FALSE(sign_jwt_hs256(crypto, kSecret, Json("x")).has_value());
    CHECK_FALSE(sign_jwt_hs256(crypto, "", valid_claims()).has_value());
    CHECK(verify_jwt_hs256(crypto, "", token, expectations_at(kNow)).error ==
          JwtError::BadSignature);
  }
}

TEST_CASE("JWT rejects every algorithm but HS256", "[oauth][jwt]") {
  bmcp::testing::OpenSslCrypto crypto;
  const std::string payload = bmcp::dump_json(valid_claims());
  const char* headers[] = {
      R"({"alg":"none","typ":"JWT"})",
      R"({"alg":"None"})",
      R"({"alg":"HS384"})",
      R"({"alg":"HS512"})",
      R"({"alg":"RS256"})",
      R"({"alg":"ES256"})",
      R"({"alg":"hs256"})",
      R"({"alg":"HS256 "})",
      R"({"typ":"JWT"})",
      R"({"alg":null})",
      R"({"alg":256})",
      R"({"alg":["HS256"]})",
      R"({"alg":""})",
      R"({"ALG":"HS256"})",
  };
  for (const char* header : headers) {
    INFO(header);
    // Correctly HMAC-signed with our key: the algorithm check alone must refuse it.
    CHECK(verify_jwt_hs256(crypto, kSecret, forge(crypto, header, payload), expectations_at(kNow))
              .error == JwtError::BadAlgorithm);
  }
  SECTION("an unsigned alg none token with an empty signature") {
    std::string unsigned_token =
        b64::base64url_encode(R"({"alg":"none"})") + "." + b64::base64url_encode(payload) + ".";
    CHECK(verify_jwt_hs256(crypto, kSecret, unsigned_token, expectations_at(kNow)).error ==
          JwtError::BadAlgorithm);
  }
  SECTION("alg HS256 with an empty signature is a bad signature") {
    std::string token = sign(crypto, valid_claims());
    token.erase(token.rfind('.') + 1);
    CHECK(verify_jwt_hs256(crypto, kSecret, token, expectations_at(kNow)).error ==
          JwtError::BadSignature);
  }
  SECTION("critical header extensions are refused (RFC 7515 §4.1.11)") {
    auto token = forge(crypto, R"({"alg":"HS256","crit":["exp"],"exp":1})", payload);
    CHECK(verify_jwt_hs256(crypto, kSecret, token, expectations_at(kNow)).error ==
          JwtError::Malformed);
  }
}

TEST_CASE("JWT time claims", "[oauth][jwt]") {
  bmcp::testing::OpenSslCrypto crypto;
  Json claims = valid_claims();

  SECTION("expired") {
    claims["exp"] = kNow - 1;
    auto verified = verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow));
    CHECK(verified.error == JwtError::Expired);
    CHECK_FALSE(verified.message.empty());
  }
  SECTION("exp equal to now is expired; leeway extends it") {
    claims["exp"] = kNow;
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::Expired);
    auto expect = expectations_at(kNow);
    expect.leeway_seconds = 30;
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expect).ok());
    expect.now = kNow + 30;
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expect).error ==
          JwtError::Expired);
  }
  SECTION("fractional NumericDate") {
    claims["exp"] = static_cast<double>(kNow) + 0.5;
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).ok());
  }
  SECTION("not before, in the future") {
    claims["nbf"] = kNow + 60;
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::NotYetValid);
    auto expect = expectations_at(kNow);
    expect.leeway_seconds = 60;
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expect).ok());
    claims["nbf"] = kNow;
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).ok());
  }
  SECTION("issued in the future") {
    claims["iat"] = kNow + 120;
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::NotYetValid);
    auto expect = expectations_at(kNow);
    expect.leeway_seconds = 120;
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expect).ok());
  }
  SECTION("missing exp is refused unless expiry is optional") {
    claims.erase("exp");
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::InvalidClaim);
    auto expect = expectations_at(kNow);
    expect.require_expiry = false;
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expect).ok());
  }
  SECTION("time claims of the wrong type") {
    for (const char* name : {"exp", "nbf", "iat"}) {
      Json bad = valid_claims();
      bad[name] = std::to_string(kNow + 100);
      INFO(name);
      CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, bad), expectations_at(kNow)).error ==
            JwtError::InvalidClaim);
    }
  }
}

TEST_CASE("JWT audience and issuer", "[oauth][jwt]") {
  bmcp::testing::OpenSslCrypto crypto;
  Json claims = valid_claims();

  SECTION("wrong audience string") {
    claims["aud"] = "https://other.example.com/mcp";
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::WrongAudience);
  }
  SECTION("audience array containing ours") {
    claims["aud"] = Json::array({"https://other.example.com", kAudience});
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).ok());
  }
  SECTION("audience array without ours") {
    claims["aud"] = Json::array({"https://other.example.com"});
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::WrongAudience);
    claims["aud"] = Json::array();
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::WrongAudience);
  }
  SECTION("audience of the wrong type") {
    claims["aud"] = Json::array({kAudience, 7});
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::InvalidClaim);
    claims["aud"] = Json::object();
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::InvalidClaim);
  }
  SECTION("missing audience when one is expected") {
    claims.erase("aud");
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::WrongAudience);
  }
  SECTION("an audience present but none expected (RFC 7519 §4.1.3)") {
    auto expect = expectations_at(kNow);
    expect.audience.reset();
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expect).error ==
          JwtError::WrongAudience);
  }
  SECTION("audience comparison is exact") {
    claims["aud"] = kAudience + "/";
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::WrongAudience);
  }
  SECTION("wrong or missing issuer") {
    claims["iss"] = "https://evil.example.com";
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::WrongIssuer);
    claims.erase("iss");
    CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, claims), expectations_at(kNow)).error ==
          JwtError::WrongIssuer);
  }
  SECTION("sub, iss and jti must be strings") {
    for (const char* name : {"sub", "iss", "jti"}) {
      Json bad = valid_claims();
      bad[name] = 42;
      INFO(name);
      CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, bad), expectations_at(kNow)).error ==
            JwtError::InvalidClaim);
    }
  }
}

TEST_CASE("JWT typ check", "[oauth][jwt]") {
  bmcp::testing::OpenSslCrypto crypto;
  auto expect = expectations_at(kNow);
  expect.type = "at+jwt";
  CHECK(verify_jwt_hs256(crypto, kSecret,
                         sign_jwt_hs256(crypto, kSecret, valid_claims(), "at+jwt").value(), expect)
            .ok());
  CHECK(verify_jwt_hs256(crypto, kSecret, sign(crypto, valid_claims()), expect).error ==
        JwtError::BadType);
  const std::string payload = bmcp::dump_json(valid_claims());
  CHECK(verify_jwt_hs256(crypto, kSecret,
                         forge(crypto, R"({"alg":"HS256","typ":"application/AT+JWT"})", payload),
                         expect)
            .ok());
  CHECK(verify_jwt_hs256(crypto, kSecret, forge(crypto, R"({"alg":"HS256"})", payload), expect)
            .error == JwtError::BadType);
  CHECK(verify_jwt_hs256(crypto, kSecret, forge(crypto, R"({"alg":"HS256","typ":5})", payload),
                         expect)
            .error == JwtError::BadType);
}

TEST_CASE("JWT rejects tampering", "[oauth][jwt]") {
  bmcp::testing::OpenSslCrypto crypto;
  const std::string token = sign(crypto, valid_claims());
  const std::size_t first_dot = token.find('.');
  const std::size_t second_dot = token.rfind('.');

  SECTION("tampered payload keeps the old signature") {
    Json claims = valid_claims();
    claims["sub"] = "user-2";
    const std::string tampered = with_payload(token, claims);
    CHECK(verify_jwt_hs256(crypto, kSecret, tampered, expectations_at(kNow)).error ==
          JwtError::BadSignature);
  }
  SECTION("tampered header") {
    std::string tampered =
        b64::base64url_encode(R"({"alg":"HS256","typ":"JWT","kid":"x"})") + token.substr(first_dot);
    CHECK(verify_jwt_hs256(crypto, kSecret, tampered, expectations_at(kNow)).error ==
          JwtError::BadSignature);
  }
  SECTION("tampered signature: every character") {
    for (std::size_t i = second_dot + 1; i < token.size(); ++i) {
      std::string tampered = token;
      tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
      auto error = verify_jwt_hs256(crypto, kSecret, tampered, expectations_at(kNow)).error;
      // The last character may become non-canonical base64url (Malformed); otherwise it is
      // a different signature.
      CHECK((error == JwtError::BadSignature || error == JwtError::Malformed));
    }
  }
  SECTION("truncated or extended signature") {
    CHECK(
        verify_jwt_hs256(crypto, kSecret, token.substr(0, token.size() - 4), expectations_at(kNow))
            .error == JwtError::BadSignature);
    CHECK(verify_jwt_hs256(crypto, kSecret, token + "AAAA", expectations_at(kNow)).error ==
          JwtError::BadSignature);
  }
  SECTION("signed with another secret") {
    auto other = sign_jwt_hs256(crypto, kSecret + "x", valid_claims()).value();
    CHECK(verify_jwt_hs256(crypto, kSecret, other, expectations_at(kNow)).error ==
          JwtError::BadSignature);
  }
}

TEST_CASE("JWT rejects malformed tokens", "[oauth][jwt]") {
  bmcp::testing::OpenSslCrypto crypto;
  const std::string token = sign(crypto, valid_claims());
  const std::string payload = bmcp::dump_json(valid_claims());

  for (const std::string& bad :
       {std::string(""), std::string("."), std::string(".."), std::string("abc"),
        std::string("a.b"), token + ".x", std::string("a.b.c.d"), std::string("!!!.???.***"),
        "=" + token, token.substr(0, token.find('.')) + "==" + token.substr(token.find('.'))}) {
    INFO(bad);
    CHECK(verify_jwt_hs256(crypto, kSecret, bad, expectations_at(kNow)).error ==
          JwtError::Malformed);
  }
  SECTION("header or payload that are not JSON objects") {
    for (const char* header : {"[]", "\"HS256\"", "null", "{", "", "{\"alg\":\"HS256\"} x"}) {
      INFO(header);
      CHECK(verify_jwt_hs256(crypto, kSecret, forge(crypto, header, payload), expectations_at(kNow))
                .error == JwtError::Malformed);
    }
    for (const char* body : {"[]", "\"x\"", "1", "{", "", "not json"}) {
      INFO(body);
      CHECK(verify_jwt_hs256(crypto, kSecret, forge(crypto, R"({"alg":"HS256"})", body),
                             expectations_at(kNow))
                .error == JwtError::Malformed);
    }
  }
  SECTION("a header that is not UTF-8") {
    CHECK(verify_jwt_hs256(crypto, kSecret,
                           forge(crypto, "{\"alg\":\"HS256\",\"x\":\"\xff\"}", payload),
                           expectations_at(kNow))
              .error == JwtError::Malformed);
  }
  SECTION("an oversized token") {
    std::string huge(bmcp::oauth::kMaxJwtLength + 1, 'A');
    CHECK(verify_jwt_hs256(crypto, kSecret, huge, expectations_at(kNow)).error ==
          JwtError::Malformed);
  }
}

TEST_CASE("JWT verify survives random and mutated input", "[oauth][jwt][fuzz]") {
  bmcp::testing::OpenSslCrypto crypto;
  const std::string token = sign(crypto, valid_claims());
  std::mt19937 rng(7519);
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    if (round % 2 == 0) {
      text = token;
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        std::size_t at = rng() % text.size();
        switch (rng() % 3) {
          case 0: text[at] = static_cast<char>(rng() & 0xFF); break;
          case 1: text.erase(at, 1 + rng() % 3); break;
          default: text.insert(at, 1, "._-A="[rng() % 5]); break;
        }
        if (text.empty()) text = ".";
      }
    } else {
      text.resize(rng() % 200);
      for (char& c : text) c = static_cast<char>(rng() & 0xFF);
    }
    auto verified = verify_jwt_hs256(crypto, kSecret, text, expectations_at(kNow));
    if (text != token) CHECK_FALSE(verified.ok());
  }
}

// A token verified once is not decoded and HMAC'd again (oauth/verified_jwt_cache.hpp), and
// the cache never makes a token acceptable that the full check would refuse.

TEST_CASE("a token verified once is checked from memory, its claims still against the moment",
          "[oauth][jwt][verified-cache]") {
  CountingCrypto crypto;
  VerifiedJwtCache cache;
  const std::string token =
      bmcp::oauth::sign_jwt_hs256(crypto, kSecret, claims(), "at+jwt").value();
  crypto.hmacs = 0;

  auto first = verify_jwt_hs256(crypto, kSecret, token, expect_at(kNow), &cache);
  REQUIRE(first.ok());
  CHECK(crypto.hmacs == 1);
  for (int i = 0; i < 5; ++i) {
    auto again = verify_jwt_hs256(crypto, kSecret, token, expect_at(kNow + i), &cache);
    REQUIRE(again.ok());
    CHECK(again.claims == first.claims);
  }
  CHECK(crypto.hmacs == 1);

  // What depends on the moment and the caller is checked on every hit.
  CHECK(verify_jwt_hs256(crypto, kSecret, token, expect_at(kNow + 120), &cache).error ==
        JwtError::Expired);
  JwtExpectations other_audience = expect_at(kNow);
  other_audience.audience = "https://other.example.com/mcp";
  CHECK(verify_jwt_hs256(crypto, kSecret, token, other_audience, &cache).error ==
        JwtError::WrongAudience);
  JwtExpectations other_type = expect_at(kNow);
  other_type.type = "JWT";
  CHECK(verify_jwt_hs256(crypto, kSecret, token, other_type, &cache).error == JwtError::BadType);
  CHECK(crypto.hmacs == 1);

  // After the cache's lifetime the token is verified in full again.
  JwtExpectations later = expect_at(kNow + VerifiedJwtCache::kTtlSeconds);
  later.leeway_seconds = VerifiedJwtCache::kTtlSeconds;  // still inside its validity
  CHECK(verify_jwt_hs256(crypto, kSecret, token, later, &cache).ok());
  CHECK(crypto.hmacs == 2);
}

TEST_CASE("a remembered token makes no tampered one acceptable", "[oauth][jwt][verified-cache]") {
  CountingCrypto crypto;
  VerifiedJwtCache cache;
  const std::string token =
      bmcp::oauth::sign_jwt_hs256(crypto, kSecret, claims(), "at+jwt").value();
  REQUIRE(verify_jwt_hs256(crypto, kSecret, token, expect_at(kNow), &cache).ok());
  const std::size_t second_dot = token.rfind('.');

  SECTION("every character of the signature changed") {
    for (std::size_t i = second_dot + 1; i < token.size(); ++i) {
      std::string tampered = token;
      tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
      auto error = verify_jwt_hs256(crypto, kSecret, tampered, expect_at(kNow), &cache).error;
      CHECK((error == JwtError::BadSignature || error == JwtError::Malformed));
    }
  }
  SECTION("the signature cut short, extended, or missing") {
    for (const std::string& tampered :
         {token.substr(0, token.size() - 4), token + "AAAA", token.substr(0, second_dot + 1)})
      CHECK_FALSE(verify_jwt_hs256(crypto, kSecret, tampered, expect_at(kNow), &cache).ok());
  }
  SECTION("the payload changed under the old signature") {
    Json changed = claims();
    changed["sub"] = "user-2";
    const std::string tampered = with_payload(token, changed);
    CHECK(verify_jwt_hs256(crypto, kSecret, tampered, expect_at(kNow), &cache).error ==
          JwtError::BadSignature);
  }
  SECTION("signed with another secret") {
    auto other = bmcp::oauth::sign_jwt_hs256(crypto, kSecret + "x", claims(), "at+jwt").value();
    CHECK(verify_jwt_hs256(crypto, kSecret, other, expect_at(kNow), &cache).error ==
          JwtError::BadSignature);
  }
  // Nothing that failed was remembered.
  CHECK(cache.size() == 1);
}

TEST_CASE("the verified-token cache stays within its bound", "[oauth][jwt][verified-cache]") {
  CountingCrypto crypto;
  VerifiedJwtCache cache;
  for (int i = 0; i < 1500; ++i) {
    Json c = claims();
    c["jti"] = "t" + std::to_string(i);
    const std::string token = bmcp::oauth::sign_jwt_hs256(crypto, kSecret, c, "at+jwt").value();
    REQUIRE(verify_jwt_hs256(crypto, kSecret, token, expect_at(kNow), &cache).ok());
  }
  CHECK(cache.size() <= VerifiedJwtCache::kMaxEntries);
}
