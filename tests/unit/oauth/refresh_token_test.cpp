#include <catch2/catch.hpp>

#include "crypto/hex.hpp"
#include "oauth/refresh_token.hpp"
#include "support/openssl_crypto.hpp"

using namespace bmcp::oauth;

TEST_CASE("opaque secrets are 256 random bits, stored as SHA-256 hex", "[oauth][refresh_token]") {
  bmcp::testing::OpenSslCrypto crypto;
  SECTION("deterministic from given random bytes") {
    auto secret = opaque_secret_from_random(crypto, std::string(32, '\0'));
    REQUIRE(secret.has_value());
    CHECK(secret->value == std::string(42, 'A') + "A");
    CHECK(secret->hash_hex == bmcp::crypto::hex_encode(crypto.sha256(secret->value)));
    CHECK(secret->hash_hex.size() == 64);
    CHECK_FALSE(opaque_secret_from_random(crypto, std::string(31, 'x')).has_value());
  }
  SECTION("hash is lowercase hex SHA-256 of the text (FIPS 180-2 'abc')") {
    CHECK(hash_opaque_secret(crypto, "abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hash_refresh_token(crypto, "abc") == hash_opaque_secret(crypto, "abc"));
    CHECK(hash_authorization_code(crypto, "abc") == hash_opaque_secret(crypto, "abc"));
  }
  SECTION("generated tokens and codes") {
    OpaqueSecret refresh = generate_refresh_token(crypto);
    OpaqueSecret again = generate_refresh_token(crypto);
    OpaqueSecret code = generate_authorization_code(crypto);
    CHECK(refresh.value.size() == kOpaqueSecretLength);
    CHECK(looks_like_opaque_secret(refresh.value));
    CHECK(looks_like_opaque_secret(code.value));
    CHECK(refresh.value != again.value);
    CHECK(refresh.value != code.value);
    CHECK(hash_refresh_token(crypto, refresh.value) == refresh.hash_hex);
    CHECK(hash_authorization_code(crypto, code.value) == code.hash_hex);
  }
  SECTION("shape check") {
    CHECK_FALSE(looks_like_opaque_secret(""));
    CHECK_FALSE(looks_like_opaque_secret(std::string(42, 'A')));
    CHECK_FALSE(looks_like_opaque_secret(std::string(44, 'A')));
    CHECK_FALSE(looks_like_opaque_secret(std::string(42, 'A') + "B"));  // non-canonical
    CHECK_FALSE(looks_like_opaque_secret(std::string(42, 'A') + "="));
    CHECK(looks_like_opaque_secret(std::string(42, 'A') + "E"));
  }
}
