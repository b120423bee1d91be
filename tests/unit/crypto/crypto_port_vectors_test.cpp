// Published vectors for the primitives the core relies on, run against the native port.
// They pin the port (and therefore everything built on it) to the standards.
#include <catch2/catch.hpp>

#include "crypto/base64.hpp"
#include "crypto/hex.hpp"
#include "crypto/sealed_box.hpp"
#include "support/openssl_crypto.hpp"

namespace {
std::string unhex(std::string_view text) { return bmcp::crypto::hex_decode(text).value(); }
std::string hex(std::string_view bytes) { return bmcp::crypto::hex_encode(bytes); }
}  // namespace

TEST_CASE("SHA-256 matches FIPS 180-2", "[crypto][vectors]") {
  bmcp::testing::OpenSslCrypto crypto;
  CHECK(hex(crypto.sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(crypto.sha256("")) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("HMAC-SHA256 matches RFC 4231", "[crypto][vectors]") {
  bmcp::testing::OpenSslCrypto crypto;
  SECTION("test case 1") {
    CHECK(hex(crypto.hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  }
  SECTION("test case 2: a key shorter than the block") {
    CHECK(hex(crypto.hmac_sha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
  SECTION("test case 6: a key longer than the block is hashed first") {
    CHECK(hex(crypto.hmac_sha256(std::string(131, '\xaa'),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  }
  SECTION("test case 7: long key and long data") {
    CHECK(hex(crypto.hmac_sha256(
              std::string(131, '\xaa'),
              "This is a test using a larger than block-size key and a larger than block-size "
              "data. The key needs to be hashed before being used by the HMAC algorithm.")) ==
          "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  }
}

TEST_CASE("AES-256-GCM matches the GCM specification test cases 13-16", "[crypto][vectors]") {
  // McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 13-16 (AES-256).
  bmcp::testing::OpenSslCrypto crypto;
  const std::string zero_key(32, '\0');
  const std::string zero_iv(12, '\0');

  SECTION("test case 13: empty plaintext") {
    auto sealed = crypto.aes256gcm_seal(zero_key, zero_iv, "", "");
    REQUIRE(sealed.has_value());
    CHECK(hex(*sealed) == "530f8afbc74536b9a963b4f1c4cb738b");
  }
  SECTION("test case 14: one zero block") {
    auto sealed = crypto.aes256gcm_seal(zero_key, zero_iv, std::string(16, '\0'), "");
    REQUIRE(sealed.has_value());
    CHECK(hex(*sealed) ==
          "cea7403d4d606b6e074ec5d3baf39d18"
          "d0d1c8a799996bf0265b98b5d48ab919");
  }

  const std::string key = unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  const std::string iv = unhex("cafebabefacedbaddecaf888");
  const std::string plaintext64 = unhex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255");
  const std::string ciphertext64 =
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

  SECTION("test case 15: four blocks, no AAD") {
    auto sealed = crypto.aes256gcm_seal(key, iv, plaintext64, "");
    REQUIRE(sealed.has_value());
    CHECK(hex(*sealed) == ciphertext64 + "b094dac5d93471bdec1a502270e3cc6c");
    CHECK(crypto.aes256gcm_open(key, iv, *sealed, "").value() == plaintext64);
  }
  SECTION("test case 16: partial block with AAD, through the sealed box format") {
    const std::string plaintext60 = plaintext64.substr(0, 60);
    const std::string aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    const std::string expected = ciphertext64.substr(0, 120) + "76fc6ece0f4e1768cddf8853bb2d551b";
    auto sealed = crypto.aes256gcm_seal(key, iv, plaintext60, aad);
    REQUIRE(sealed.has_value());
    CHECK(hex(*sealed) == expected);

    // The box is exactly the vector's IV and C||T in base64url: the format adds no crypto.
    auto token = bmcp::crypto::seal(crypto, key, plaintext60, aad, iv);
    REQUIRE(token.has_value());
    CHECK(*token == "v1." + bmcp::crypto::base64url_encode(iv) + "." +
                        bmcp::crypto::base64url_encode(unhex(expected)));
    CHECK(bmcp::crypto::open(crypto, key, *token, aad).value() == plaintext60);
  }
}
