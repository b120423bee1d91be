#include <catch2/catch.hpp>

#include <random>

#include "crypto/base64.hpp"
#include "crypto/hex.hpp"

using bmcp::crypto::base64_decode;
using bmcp::crypto::base64_encode;
using bmcp::crypto::base64url_decode;
using bmcp::crypto::base64url_encode;

TEST_CASE("base64 matches the RFC 4648 §10 test vectors", "[crypto][base64]") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    auto decoded = base64_decode(encoded);
    REQUIRE(decoded.has_value());
    CHECK(*decoded == plain);
  }
}

TEST_CASE("base64url omits padding and uses the URL alphabet", "[crypto][base64]") {
  SECTION("RFC 4648 §10 vectors without padding") {
    CHECK(base64url_encode("f") == "Zg");
    CHECK(base64url_encode("fo") == "Zm8");
    CHECK(base64url_encode("foobar") == "Zm9vYmFy");
    CHECK(base64url_decode("Zm9vYg").value() == "foob");
    CHECK(base64url_decode("").value().empty());
  }
  SECTION("characters 62 and 63 differ from standard base64") {
    const std::string bytes("\xfb\xff\xbf", 3);
    CHECK(base64_encode(bytes) == "+/+/");
    CHECK(base64url_encode(bytes) == "-_-_");
    CHECK(base64url_decode("-_-_").value() == bytes);
    CHECK_FALSE(base64url_decode("+/+/").has_value());
    CHECK_FALSE(base64_decode("-_-_").has_value());
  }
}

TEST_CASE("base64 decoding is strict", "[crypto][base64]") {
  SECTION("bad characters") {
    CHECK_FALSE(base64_decode("Zm9v!A==").has_value());
    CHECK_FALSE(base64_decode("Zm 9v").has_value());
    CHECK_FALSE(base64_decode("Zm9v\n").has_value());
    CHECK_FALSE(base64url_decode("Zm9v.").has_value());
    CHECK_FALSE(base64url_decode(std::string("Zm\0v", 4)).has_value());
  }
  SECTION("bad padding") {
    CHECK_FALSE(base64_decode("Zg").has_value());  // padding required
    CHECK_FALSE(base64_decode("Zg=").has_value());
    CHECK_FALSE(base64_decode("Zg===").has_value());
    CHECK_FALSE(base64_decode("Z===").has_value());
    CHECK_FALSE(base64_decode("====").has_value());
    CHECK_FALSE(base64_decode("Zg==Zg==").has_value());  // padding in the middle
    CHECK_FALSE(base64_decode("Z=g=").has_value());
    CHECK_FALSE(base64url_decode("Zg==").has_value());  // base64url carries no padding
    CHECK_FALSE(base64url_decode("Zg=").has_value());
  }
  SECTION("impossible lengths") {
    CHECK_FALSE(base64url_decode("Z").has_value());
    CHECK_FALSE(base64url_decode("Zm9vY").has_value());
    CHECK_FALSE(base64_decode("Zm9vY").has_value());
  }
  SECTION("non-canonical trailing bits (RFC 4648 §3.5)") {
    CHECK(base64url_decode("Zg").has_value());
    CHECK_FALSE(base64url_decode("Zh").has_value());  // same byte, a low bit set
    CHECK_FALSE(base64_decode("Zh==").has_value());
    CHECK(base64url_decode("Zm8").has_value());
    CHECK_FALSE(base64url_decode("Zm9").has_value());
    CHECK_FALSE(base64_decode("Zm9=").has_value());
  }
}

TEST_CASE("base64 round-trips all byte values and random input", "[crypto][base64]") {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte.push_back(static_cast<char>(b));
  CHECK(base64_decode(base64_encode(every_byte)).value() == every_byte);
  CHECK(base64url_decode(base64url_encode(every_byte)).value() == every_byte);

  std::mt19937 rng(4648);
  for (int round = 0; round < 500; ++round) {
    std::string bytes(rng() % 70, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
    CHECK(base64_decode(base64_encode(bytes)).value() == bytes);
    CHECK(base64url_decode(base64url_encode(bytes)).value() == bytes);
  }
}

TEST_CASE("base64 decoding of random text never crashes and is canonical",
          "[crypto][base64][fuzz]") {
  // Property: whatever decodes re-encodes to exactly the same text (one encoding per value).
  std::mt19937 rng(20240601);
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=.% \x80\xff";
  for (int round = 0; round < 20000; ++round) {
    std::string text(rng() % 24, '\0');
    for (char& c : text)
      c = (rng() % 8 == 0) ? static_cast<char>(rng() & 0xFF) : alphabet[rng() % alphabet.size()];
    if (auto decoded = base64_decode(text)) REQUIRE(base64_encode(*decoded) == text);
    if (auto decoded = base64url_decode(text)) REQUIRE(base64url_encode(*decoded) == text);
  }
}

TEST_CASE("hex matches RFC 4648 §10 base16 vectors", "[crypto][hex]") {
  using bmcp::crypto::hex_decode;
  using bmcp::crypto::hex_encode;
  CHECK(hex_encode("") == "");
  CHECK(hex_encode("f") == "66");
  CHECK(hex_encode("foobar") == "666f6f626172");
  CHECK(hex_decode("666F6F626172").value() == "foobar");
  CHECK(hex_decode("666f6F").value() == "foo");
  CHECK(hex_encode(std::string("\x00\xff\x10", 3)) == "00ff10");
  SECTION("rejections") {
    CHECK_FALSE(hex_decode("6").has_value());
    CHECK_FALSE(hex_decode("6g").has_value());
    CHECK_FALSE(hex_decode(" 66").has_value());
    CHECK_FALSE(hex_decode("0x66").has_value());
  }
}
