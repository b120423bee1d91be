// A token verified once is not decoded and HMAC'd again (oauth/verified_jwt_cache.hpp), and
// the cache never makes a token acceptable that the full check would refuse: a tampered
// signature or payload, another type, an expired token, another audience.
#include <catch2/catch.hpp>

#include "crypto/base64.hpp"
#include "oauth/jwt.hpp"
#include "oauth/verified_jwt_cache.hpp"
#include "support/openssl_crypto.hpp"

using bmcp::Json;
using bmcp::oauth::JwtError;
using bmcp::oauth::JwtExpectations;
using bmcp::oauth::VerifiedJwtCache;
using bmcp::oauth::verify_jwt_hs256;
namespace b64 = bmcp::crypto;

namespace {

const std::string kSecret = "test-signing-secret-0123456789-abcdefghijklmnop";
constexpr std::int64_t kNow = 1'760'000'000;
const std::string kAudience = "https://mcp.example.com/mcp";
const std::string kIssuer = "https://mcp.example.com";

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

JwtExpectations expect_at(std::int64_t now) {
  JwtExpectations e;
  e.now = now;
  e.audience = kAudience;
  e.issuer = kIssuer;
  e.type = "at+jwt";
  return e;
}

Json claims() {
  return Json{{"sub", "user-1"},  {"iss", kIssuer},    {"aud", kAudience},
              {"iat", kNow - 10}, {"exp", kNow + 120}, {"jti", "t1"}};
}

}  // namespace

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
  const std::size_t first_dot = token.find('.');
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
    std::string tampered = token.substr(0, first_dot + 1) +
                           b64::base64url_encode(bmcp::dump_json(changed)) +
                           token.substr(second_dot);
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
