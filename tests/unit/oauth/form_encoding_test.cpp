#include <catch2/catch.hpp>

#include "oauth/form_encoding.hpp"

using namespace bmcp::oauth;

TEST_CASE("form bodies parse names and values in order", "[oauth][form]") {
  auto form = parse_form_urlencoded(
      "grant_type=authorization_code&code=C0.abc%40&redirect_uri=https%3A%2F%2Fclaude.ai%2Fcb&"
      "scope=mcp%3Aread+mcp%3Atrade");
  REQUIRE(form.ok());
  REQUIRE(form.parameters.size() == 4);
  CHECK(form.parameters[0].name == "grant_type");
  CHECK(*form.find("code") == "C0.abc@");
  CHECK(*form.find("redirect_uri") == "https://claude.ai/cb");
  CHECK(*form.find("scope") == "mcp:read mcp:trade");
  CHECK(form.find("missing") == nullptr);
  CHECK(form.repeated_names().empty());

  SECTION("plus is a space, %2B is a plus") {
    auto plus = parse_form_urlencoded("a=1+2&b=1%2B2");
    CHECK(*plus.find("a") == "1 2");
    CHECK(*plus.find("b") == "1+2");
  }
  SECTION("empty segments are skipped, a bare name has an empty value") {
    auto sparse = parse_form_urlencoded("&a=1&&b&c=&");
    REQUIRE(sparse.ok());
    REQUIRE(sparse.parameters.size() == 3);
    CHECK(*sparse.find("b") == "");
    CHECK(*sparse.find("c") == "");
    CHECK(parse_form_urlencoded("").parameters.empty());
  }
  SECTION("RFC 6749 §3.1: an empty value counts as omitted") {
    auto sparse = parse_form_urlencoded("state=&scope=x");
    CHECK_FALSE(sparse.oauth_parameter("state").has_value());
    CHECK_FALSE(sparse.oauth_parameter("nonce").has_value());
    CHECK(sparse.oauth_parameter("scope") == "x");
  }
  SECTION("values keep '=' after the first one") {
    CHECK(*parse_form_urlencoded("state=a=b==").find("state") == "a=b==");
  }
  SECTION("UTF-8 is decoded") {
    CHECK(*parse_form_urlencoded("name=%E2%82%AC%F0%9F%98%80").find("name") ==
          "\xE2\x82\xAC\xF0\x9F\x98\x80");
  }
}

TEST_CASE("repeated parameters are reported (RFC 6749 §3.1)", "[oauth][form]") {
  auto form = parse_form_urlencoded("code=a&client_id=x&code=b&%63ode=c&client_id=y&scope=s");
  REQUIRE(form.ok());
  CHECK(form.is_repeated("code"));
  CHECK(form.is_repeated("client_id"));
  CHECK_FALSE(form.is_repeated("scope"));
  CHECK_FALSE(form.is_repeated("absent"));
  CHECK(form.repeated_names() == std::vector<std::string>{"code", "client_id"});
  CHECK(*form.find("code") == "a");
}

TEST_CASE("malformed forms are refused", "[oauth][form]") {
  SECTION("bad percent escapes") {
    for (const char* body : {"a=%", "a=%4", "a=%zz", "a=%G0", "a%=1", "a=1%2", "%=x", "a=%%41"}) {
      INFO(body);
      auto form = parse_form_urlencoded(body);
      CHECK(form.error == FormError::BadPercentEscape);
      CHECK(form.parameters.empty());
    }
  }
  SECTION("invalid UTF-8 after decoding") {
    for (const char* body : {"a=%FF", "a=%C0%AF", "a=%ED%A0%80", "a=%F4%90%80%80", "a=%E2%82",
                             "%80=1", "a=\xC3", "a=%C3%28", "a=%F8%88%80%80%80"}) {
      INFO(body);
      CHECK(parse_form_urlencoded(body).error == FormError::InvalidUtf8);
    }
  }
  SECTION("empty names") {
    for (const char* body : {"=x", "a=1&=2", "="}) {
      INFO(body);
      CHECK(parse_form_urlencoded(body).error == FormError::EmptyName);
    }
  }
  SECTION("limits") {
    FormLimits limits;
    limits.max_bytes = 16;
    CHECK(parse_form_urlencoded("a=0123456789abcdef", limits).error == FormError::TooLarge);
    limits.max_bytes = 1024;
    limits.max_parameters = 3;
    CHECK(parse_form_urlencoded("a=1&b=2&c=3", limits).ok());
    CHECK(parse_form_urlencoded("a=1&b=2&c=3&d=4", limits).error == FormError::TooManyParameters);
    CHECK(parse_form_urlencoded(std::string(70000, 'a')).error == FormError::TooLarge);
  }
}

TEST_CASE("query strings and url_query", "[oauth][form]") {
  CHECK(url_query("/authorize?client_id=x&state=y#frag") == "client_id=x&state=y");
  CHECK(url_query("https://h/cb?code=1") == "code=1");
  CHECK(url_query("/path") == "");
  CHECK(url_query("/p#a?b") == "");
  auto query = parse_query_string("?code=C0.x%40&state=abc&session=s");
  REQUIRE(query.ok());
  CHECK(*query.find("code") == "C0.x@");
  CHECK(query.parameters.size() == 3);
}

TEST_CASE("form encoding round-trips", "[oauth][form]") {
  CHECK(form_urlencode_component("a b&c=d/é~") == "a+b%26c%3Dd%2F%C3%A9~");
  CHECK(form_urlencode({{"grant_type", "refresh_token"}, {"refresh_token", "a+b/c="}}) ==
        "grant_type=refresh_token&refresh_token=a%2Bb%2Fc%3D");
  const std::string tricky = "x y+z%&=?#\xE2\x82\xAC";
  auto form = parse_form_urlencoded(form_urlencode({{tricky, tricky}, {"k", ""}}));
  REQUIRE(form.ok());
  CHECK(form.parameters[0].name == tricky);
  CHECK(form.parameters[0].value == tricky);
  CHECK(form.parameters[1].value.empty());
  CHECK(form_urldecode_component("%41+b").value() == "A b");
  CHECK_FALSE(form_urldecode_component("%4").has_value());
}

TEST_CASE("UTF-8 validation follows RFC 3629", "[oauth][form]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("\xC2\x80"));                // U+0080
  CHECK(is_valid_utf8("\xEF\xBF\xBF"));            // U+FFFF
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));        // U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
  CHECK_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // overlong
  CHECK_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xBF"));              // lone continuation
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
}
