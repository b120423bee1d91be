#include <catch2/catch.hpp>

#include <random>

#include "crypto/base64.hpp"
#include "crypto/sealed_box.hpp"
#include "support/openssl_crypto.hpp"

using bmcp::crypto::open;
using bmcp::crypto::seal;

namespace {
const std::string kKey(32, '\x42');
const std::string kOtherKey(32, '\x43');
const std::string kIv("0123456789ab");
}  // namespace

TEST_CASE("sealed box round-trips and has the v1 layout", "[crypto][sealed_box]") {
  bmcp::testing::OpenSslCrypto crypto;
  auto token = seal(crypto, kKey, "broker refresh token", "broker-token:u1:schwab", kIv);
  REQUIRE(token.has_value());
  CHECK(token->rfind("v1.", 0) == 0);
  CHECK(token->find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
        std::string::npos);
  CHECK(open(crypto, kKey, *token, "broker-token:u1:schwab").value() == "broker refresh token");

  SECTION("deterministic given the IV") {
    CHECK(seal(crypto, kKey, "broker refresh token", "broker-token:u1:schwab", kIv) == token);
    CHECK(seal(crypto, kKey, "broker refresh token", "broker-token:u1:schwab", "ba9876543210") !=
          token);
  }
  SECTION("binary and empty plaintexts") {
    const std::string binary("\0\xff\x01 bytes", 9);
    CHECK(open(crypto, kKey, seal(crypto, kKey, binary, "", kIv).value(), "").value() == binary);
    CHECK(open(crypto, kKey, seal(crypto, kKey, "", "x", kIv).value(), "x").value().empty());
  }
}

TEST_CASE("sealed box refuses bad keys and IVs", "[crypto][sealed_box]") {
  bmcp::testing::OpenSslCrypto crypto;
  CHECK_FALSE(seal(crypto, std::string(31, 'k'), "p", "", kIv).has_value());
  CHECK_FALSE(seal(crypto, std::string(33, 'k'), "p", "", kIv).has_value());
  CHECK_FALSE(seal(crypto, kKey, "p", "", "short").has_value());
  CHECK_FALSE(seal(crypto, kKey, "p", "", std::string(16, 'i')).has_value());
  auto token = seal(crypto, kKey, "p", "", kIv).value();
  CHECK_FALSE(open(crypto, std::string(31, 'k'), token, "").has_value());
}

TEST_CASE("sealed box open rejects tampering, wrong key, wrong aad, malformed tokens",
          "[crypto][sealed_box]") {
  bmcp::testing::OpenSslCrypto crypto;
  const std::string token = seal(crypto, kKey, "secret payload", "oauth-state", kIv).value();

  SECTION("wrong key") { CHECK_FALSE(open(crypto, kOtherKey, token, "oauth-state").has_value()); }
  SECTION("wrong aad") {
    CHECK_FALSE(open(crypto, kKey, token, "approval-cookie").has_value());
    CHECK_FALSE(open(crypto, kKey, token, "").has_value());
  }
  SECTION("every single-character change is detected") {
    const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=";
    for (std::size_t i = 0; i < token.size(); ++i) {
      for (char replacement : {'A', 'b', '-', '.', '='}) {
        if (token[i] == replacement) continue;
        std::string tampered = token;
        tampered[i] = replacement;
        INFO("position " << i << " -> " << replacement);
        CHECK_FALSE(open(crypto, kKey, tampered, "oauth-state").has_value());
      }
    }
  }
  SECTION("truncation and extension") {
    for (std::size_t length = 0; length < token.size(); ++length)
      CHECK_FALSE(open(crypto, kKey, token.substr(0, length), "oauth-state").has_value());
    CHECK_FALSE(open(crypto, kKey, token + "A", "oauth-state").has_value());
    CHECK_FALSE(open(crypto, kKey, token + ".x", "oauth-state").has_value());
  }
  SECTION("malformed shapes") {
    for (const char* bad : {"", "v1", "v1.", "v1..", "v2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA",
                            "v1.AAAAAAAAAAAAAAAA", "v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA",
                            "v1.AAAAAAAAAAAAAAAA.AAAA", "V1.x.y", "v1.!!!.???"})
      CHECK_FALSE(open(crypto, kKey, bad, "oauth-state").has_value());
  }
  SECTION("a token sealed for one purpose cannot be opened for another") {
    auto cookie = seal(crypto, kKey, "secret payload", "approval-cookie", kIv).value();
    CHECK_FALSE(open(crypto, kKey, cookie, "oauth-state").has_value());
  }
}

TEST_CASE("sealed box open survives random input", "[crypto][sealed_box][fuzz]") {
  bmcp::testing::OpenSslCrypto crypto;
  std::mt19937 rng(12);
  const std::string alphabet =
      "v1.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (int round = 0; round < 3000; ++round) {
    std::string text = (round % 2 == 0) ? "v1." : "";
    std::size_t length = rng() % 80;
    for (std::size_t i = 0; i < length; ++i)
      text.push_back(rng() % 10 == 0 ? static_cast<char>(rng() & 0xFF)
                                     : alphabet[rng() % alphabet.size()]);
    CHECK_FALSE(open(crypto, kKey, text, "oauth-state").has_value());
  }
}
