#include <catch2/catch.hpp>

#include "crypto/base64.hpp"
#include "oauth/authorization_header.hpp"

using namespace bmcp::oauth;

TEST_CASE("Basic credentials (RFC 7617, RFC 6749 §2.3.1)", "[oauth][authorization_header]") {
  SECTION("RFC 7617 §2 example") {
    auto credentials = parse_basic_auth("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    REQUIRE(credentials.has_value());
    CHECK(credentials->client_id == "Aladdin");
    CHECK(credentials->client_secret == "open sesame");
  }
  SECTION("RFC 6749 §2.3.1 example") {
    auto credentials = parse_basic_auth("Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3");
    REQUIRE(credentials.has_value());
    CHECK(credentials->client_id == "s6BhdRkqt3");
    CHECK(credentials->client_secret == "7Fjfp0ZBr1KtDRbnfVdmIw");
  }
  SECTION("id and secret are form-urlencoded inside") {
    auto header = "Basic " + bmcp::crypto::base64_encode("my%3Aclient:p%40ss+word:x");
    auto credentials = parse_basic_auth(header);
    REQUIRE(credentials.has_value());
    CHECK(credentials->client_id == "my:client");
    CHECK(credentials->client_secret == "p@ss word:x");
  }
  SECTION("scheme is case-insensitive, empty secret allowed") {
    auto credentials = parse_basic_auth("basic " + bmcp::crypto::base64_encode("public-client:"));
    REQUIRE(credentials.has_value());
    CHECK(credentials->client_id == "public-client");
    CHECK(credentials->client_secret.empty());
  }
  SECTION("rejections") {
    for (const std::string& header :
         {std::string("Basic"), std::string("Basic "),
          std::string("Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
          std::string("BasicQWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
          std::string("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ"), std::string("Basic !!!!"),
          "Basic " + bmcp::crypto::base64_encode("no-colon"),
          "Basic " + bmcp::crypto::base64_encode(":secret"),
          "Basic " + bmcp::crypto::base64_encode("id%zz:s"),
          "Basic " + bmcp::crypto::base64_encode("id:\xff"), std::string("Basic QWxh ZGRp")}) {
      INFO(header);
      CHECK_FALSE(parse_basic_auth(header).has_value());
    }
  }
}

TEST_CASE("Bearer tokens (RFC 6750 §2.1)", "[oauth][authorization_header]") {
  CHECK(parse_bearer("Bearer abc.def-ghi_~+/==") == "abc.def-ghi_~+/==");
  CHECK(parse_bearer("bearer token") == "token");
  CHECK(parse_bearer("BEARER token") == "token");
  CHECK(parse_bearer("Bearer   token") == "token");
  CHECK(parse_bearer("  Bearer token \t") == "token");
  for (const char* header :
       {"", "Bearer", "Bearer ", "Bearertoken", "Bearer a b", "Bearer a,b", "Bearer =abc",
        "Bearer abc=d", "Bearer a\tb", "Basic token", "Token abc", "Bearer \xff", "Bearer tok\"en",
        "Bearer\ttoken", "MAC token"}) {
    INFO(header);
    CHECK_FALSE(parse_bearer(header).has_value());
  }
}
