// Fuzz-style loops: every parser of untrusted text is fed seeded random bytes and random
// mutations of valid input. Each must return (never crash or hang) and keep its invariants.
#include <catch2/catch.hpp>

#include <random>

#include "base/json.hpp"
#include "crypto/base64.hpp"
#include "oauth/approval_cookie.hpp"
#include "oauth/authorization_header.hpp"
#include "oauth/cookie.hpp"
#include "oauth/form_encoding.hpp"
#include "oauth/oauth_state.hpp"
#include "oauth/pkce.hpp"
#include "oauth/redirect_uri.hpp"
#include "support/openssl_crypto.hpp"

using namespace bmcp::oauth;

namespace {

// Random text biased towards the characters the parsers treat specially.
std::string random_text(std::mt19937& rng, std::size_t max_length) {
  static const std::string interesting = "%+=&;:/?#@[]. \t\"\\,=-_~aZ09\x80\xc3\xff";
  std::string text(rng() % (max_length + 1), '\0');
  for (char& c : text) {
    switch (rng() % 3) {
      case 0: c = static_cast<char>(rng() & 0xFF); break;
      case 1: c = interesting[rng() % interesting.size()]; break;
      default: c = static_cast<char>('a' + rng() % 26); break;
    }
  }
  return text;
}

std::string mutate(std::mt19937& rng, std::string text) {
  int edits = 1 + static_cast<int>(rng() % 3);
  for (int e = 0; e < edits && !text.empty(); ++e) {
    std::size_t at = rng() % text.size();
    switch (rng() % 3) {
      case 0: text[at] = static_cast<char>(rng() & 0xFF); break;
      case 1: text.erase(at, 1); break;
      default: text.insert(at, 1, "%=&;\"\x01"[rng() % 6]); break;
    }
  }
  return text;
}

}  // namespace

TEST_CASE("form and query parsers survive random input", "[oauth][fuzz]") {
  std::mt19937 rng(6749);
  const std::string valid =
      "grant_type=authorization_code&code=abc%40&redirect_uri=https%3A%2F%2Fa%2Fcb&state=x+y";
  for (int round = 0; round < 20000; ++round) {
    std::string input = (round % 2 == 0) ? random_text(rng, 120) : mutate(rng, valid);
    ParsedForm form = parse_form_urlencoded(input);
    if (form.ok()) {
      for (const FormParameter& parameter : form.parameters) {
        REQUIRE_FALSE(parameter.name.empty());
        REQUIRE(is_valid_utf8(parameter.name));
        REQUIRE(is_valid_utf8(parameter.value));
      }
      // Re-encoding what was parsed and parsing again gives the same parameters.
      ParsedForm again = parse_form_urlencoded(form_urlencode(form.parameters));
      REQUIRE(again.ok());
      REQUIRE(again.parameters.size() == form.parameters.size());
      (void)form.repeated_names();
    } else {
      REQUIRE(form.parameters.empty());
      REQUIRE_FALSE(form.message.empty());
    }
    (void)parse_query_string(input);
    (void)url_query(input);
  }
}

TEST_CASE("header and cookie parsers survive random input", "[oauth][fuzz]") {
  std::mt19937 rng(6265);
  for (int round = 0; round < 20000; ++round) {
    std::string input = random_text(rng, 100);
    if (round % 3 == 0) input = "Bearer " + input;
    if (round % 3 == 1) input = "Basic " + input;
    if (auto token = parse_bearer(input)) REQUIRE_FALSE(token->empty());
    if (auto credentials = parse_basic_auth(input)) REQUIRE_FALSE(credentials->client_id.empty());
    for (const Cookie& cookie : parse_cookie_header(input)) REQUIRE_FALSE(cookie.name.empty());
    (void)find_cookie(input, "a");
    (void)build_set_cookie(input, input);
  }
  std::string long_header;
  for (int i = 0; i < 2000; ++i) long_header += "k" + std::to_string(i) + "=v;";
  CHECK(parse_cookie_header(long_header).size() == 2000);
}

TEST_CASE("redirect URI validation survives random input", "[oauth][fuzz]") {
  std::mt19937 rng(8252);
  const std::string valid = "http://127.0.0.1:8080/cb?a=1";
  for (int round = 0; round < 20000; ++round) {
    std::string input = (round % 2 == 0) ? "https://" + random_text(rng, 60) : mutate(rng, valid);
    RedirectUriCheck check = validate_redirect_uri(input);
    REQUIRE(check.ok() == check.message.empty());
    (void)redirect_uri_matches(valid, input);
    (void)build_authorization_redirect(input, "code", input, "iss");
  }
}

TEST_CASE("sealed-state readers and PKCE checks survive random input", "[oauth][fuzz]") {
  bmcp::testing::OpenSslCrypto crypto;
  const std::string key(32, '\x07');
  std::mt19937 rng(7636);
  for (int round = 0; round < 5000; ++round) {
    std::string input = random_text(rng, 90);
    if (round % 2 == 0)
      input = "v1." + bmcp::crypto::base64url_encode(input.substr(0, 12)) + "." +
              bmcp::crypto::base64url_encode(input);
    REQUIRE_FALSE(open_oauth_state(crypto, key, input, 0).ok());
    REQUIRE(read_approval_cookie(crypto, key, input, 0).approvals.empty());
    (void)verify_s256_code_challenge(crypto, input, input);
    (void)bmcp::parse_json(input);
  }
}
