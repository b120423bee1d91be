#include <catch2/catch.hpp>

#include "oauth/pkce.hpp"
#include "support/openssl_crypto.hpp"

using namespace bmcp::oauth;

namespace {
// RFC 7636 Appendix B.
const std::string kRfcVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const std::string kRfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
}  // namespace

TEST_CASE("PKCE S256 matches RFC 7636 Appendix B", "[oauth][pkce]") {
  bmcp::testing::OpenSslCrypto crypto;
  CHECK(s256_code_challenge(crypto, kRfcVerifier) == kRfcChallenge);
  CHECK(verify_s256_code_challenge(crypto, kRfcVerifier, kRfcChallenge));

  SECTION("the appendix's 32 random octets give its verifier") {
    const unsigned char octets[] = {116, 24,  223, 180, 151, 153, 224, 37,  79,  250, 96,
                                    125, 216, 173, 187, 186, 22,  212, 37,  77,  105, 214,
                                    191, 240, 91,  88,  5,   88,  83,  132, 141, 121};
    std::string random(reinterpret_cast<const char*>(octets), sizeof octets);
    CHECK(code_verifier_from_random(random) == kRfcVerifier);
    CHECK_FALSE(code_verifier_from_random(random.substr(0, 31)).has_value());
  }
}

TEST_CASE("PKCE verifier and challenge validation", "[oauth][pkce]") {
  SECTION("RFC 7636 §4.1 length 43..128") {
    CHECK_FALSE(is_valid_code_verifier(std::string(42, 'a')));
    CHECK(is_valid_code_verifier(std::string(43, 'a')));
    CHECK(is_valid_code_verifier(std::string(128, 'a')));
    CHECK_FALSE(is_valid_code_verifier(std::string(129, 'a')));
    CHECK_FALSE(is_valid_code_verifier(""));
  }
  SECTION("RFC 7636 §4.1 unreserved characters only") {
    CHECK(is_valid_code_verifier(std::string(40, 'a') + "-._~"));
    for (char bad : {'+', '/', '=', ' ', '%', '!', '\0', '\x80'}) {
      std::string verifier(43, 'a');
      verifier[20] = bad;
      INFO(static_cast<int>(bad));
      CHECK_FALSE(is_valid_code_verifier(verifier));
    }
  }
  SECTION("S256 challenges are 43 canonical base64url characters") {
    CHECK(is_valid_s256_code_challenge(kRfcChallenge));
    CHECK_FALSE(is_valid_s256_code_challenge(kRfcChallenge + "="));
    CHECK_FALSE(is_valid_s256_code_challenge(kRfcChallenge.substr(1)));
    CHECK_FALSE(is_valid_s256_code_challenge(std::string(42, 'A') + "B"));  // non-canonical tail
    CHECK_FALSE(is_valid_s256_code_challenge(std::string(42, 'A') + "+"));
    CHECK_FALSE(is_valid_s256_code_challenge(kRfcVerifier + "x"));
  }
}

TEST_CASE("PKCE verification rejects the wrong verifier", "[oauth][pkce]") {
  bmcp::testing::OpenSslCrypto crypto;
  std::string wrong = kRfcVerifier;
  wrong.back() = 'l';
  CHECK_FALSE(verify_s256_code_challenge(crypto, wrong, kRfcChallenge));
  CHECK_FALSE(verify_s256_code_challenge(crypto, kRfcChallenge, kRfcChallenge));
  // "plain" PKCE (challenge == verifier) is not accepted.
  CHECK_FALSE(verify_s256_code_challenge(crypto, kRfcVerifier, kRfcVerifier));
  CHECK_FALSE(verify_s256_code_challenge(crypto, "short", s256_code_challenge(crypto, "short")));
  CHECK_FALSE(verify_s256_code_challenge(crypto, kRfcVerifier, ""));
}

TEST_CASE("generated PKCE verifiers are valid and distinct", "[oauth][pkce]") {
  bmcp::testing::OpenSslCrypto crypto;
  std::string first = generate_code_verifier(crypto);
  std::string second = generate_code_verifier(crypto);
  CHECK(first.size() == 43);
  CHECK(is_valid_code_verifier(first));
  CHECK(first != second);
  CHECK(verify_s256_code_challenge(crypto, first, s256_code_challenge(crypto, first)));
}
