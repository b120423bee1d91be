#include <catch2/catch.hpp>

#include <cctype>

#include "crypto/base64.hpp"
#include "crypto/hex.hpp"
#include "crypto/secret_key.hpp"

using bmcp::crypto::parse_encryption_key;
using bmcp::crypto::parse_signing_secret;

namespace {
std::string sample_key() {
  std::string key;
  for (int i = 0; i < 32; ++i) key.push_back(static_cast<char>(i * 7 + 3));
  return key;
}
}  // namespace

TEST_CASE("encryption keys are accepted as hex or base64 of 32 bytes", "[crypto][secret_key]") {
  const std::string key = sample_key();
  std::string standard = bmcp::crypto::base64_encode(key);
  std::string url = bmcp::crypto::base64url_encode(key);
  std::string hex = bmcp::crypto::hex_encode(key);
  std::string upper_hex = hex;
  for (char& c : upper_hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string standard_unpadded = standard.substr(0, standard.find('='));

  for (const std::string& text : {hex, upper_hex, standard, standard_unpadded, url, url + "=",
                                  hex + "\n", "  " + standard + "\r\n"}) {
    INFO(text);
    auto parsed = parse_encryption_key("TOKEN_ENCRYPTION_KEY", text);
    REQUIRE(parsed.ok());
    CHECK(*parsed.key == key);
    CHECK(parsed.error.empty());
  }
}

TEST_CASE("unusable encryption keys get a clear message without the secret",
          "[crypto][secret_key]") {
  SECTION("not set") {
    auto parsed = parse_encryption_key("COOKIE_ENCRYPTION_KEY", " \n");
    CHECK_FALSE(parsed.ok());
    CHECK(parsed.error.find("COOKIE_ENCRYPTION_KEY is not set") == 0);
  }
  SECTION("wrong length") {
    std::string short_key =
        bmcp::crypto::hex_encode(std::string(16, '\x11') + std::string(8, '\x22'));
    auto parsed = parse_encryption_key("TOKEN_ENCRYPTION_KEY", short_key);
    CHECK_FALSE(parsed.ok());
    CHECK(parsed.error.find("TOKEN_ENCRYPTION_KEY") == 0);
    CHECK(parsed.error.find("exactly 32 bytes") != std::string::npos);
    CHECK(parsed.error.find(short_key) == std::string::npos);
  }
  SECTION("not an encoding") {
    auto parsed = parse_encryption_key("TOKEN_ENCRYPTION_KEY", "my secret password!");
    CHECK_FALSE(parsed.ok());
    CHECK(parsed.error.find("neither hex nor base64") != std::string::npos);
    CHECK(parsed.error.find("my secret password") == std::string::npos);
  }
  SECTION("mixed base64 alphabets") {
    std::string mixed = bmcp::crypto::base64url_encode(sample_key());
    mixed[0] = '+';
    mixed[1] = '-';
    CHECK_FALSE(parse_encryption_key("K", mixed).ok());
  }
  SECTION("too much padding") {
    CHECK_FALSE(parse_encryption_key("K", bmcp::crypto::base64_encode(sample_key()) + "==").ok());
  }
  SECTION("placeholder of one repeated byte") {
    auto parsed = parse_encryption_key("TOKEN_ENCRYPTION_KEY", std::string(64, '0'));
    CHECK_FALSE(parsed.ok());
    CHECK(parsed.error.find("placeholder") != std::string::npos);
  }
  SECTION("64 characters that are not hex are read as base64 and found too long") {
    auto parsed = parse_encryption_key("K", std::string(32, 'G') + std::string(32, 'H'));
    CHECK_FALSE(parsed.ok());
    CHECK(parsed.error.find("48 bytes") != std::string::npos);
  }
}

TEST_CASE("JWT secrets need 32 bytes of varied text", "[crypto][secret_key]") {
  const std::string good = "k3Y-for-signing-0123456789abcdefXYZ";
  auto parsed = parse_signing_secret("JWT_SECRET", good + "\n");
  REQUIRE(parsed.ok());
  CHECK(*parsed.key == good);

  CHECK(parse_signing_secret("JWT_SECRET", "0123456789abcdef0123456789abcdef").ok());
  auto too_short = parse_signing_secret("JWT_SECRET", "0123456789abcdef0123456789abcde");
  CHECK_FALSE(too_short.ok());
  CHECK(too_short.error.find("JWT_SECRET is 31 bytes long") == 0);
  auto weak = parse_signing_secret("JWT_SECRET", "changemechangemechangemechangeme");
  CHECK_FALSE(weak.ok());
  CHECK(weak.error.find("distinct") != std::string::npos);
  CHECK(weak.error.find("changeme") == std::string::npos);
  CHECK_FALSE(parse_signing_secret("JWT_SECRET", "").ok());
}
