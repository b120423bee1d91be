#include <catch2/catch.hpp>

#include "oauth/cookie.hpp"

using namespace bmcp::oauth;

TEST_CASE("Cookie header parsing (RFC 6265 §5.4)", "[oauth][cookie]") {
  auto cookies = parse_cookie_header("a=1; mcp-approved-clients=v1.abc.def; theme=\"dark\"");
  REQUIRE(cookies.size() == 3);
  CHECK(cookies[1].name == "mcp-approved-clients");
  CHECK(cookies[1].value == "v1.abc.def");
  CHECK(cookies[2].value == "dark");
  CHECK(find_cookie("a=1; b=2", "b") == "2");
  CHECK_FALSE(find_cookie("a=1; b=2", "c").has_value());
  CHECK_FALSE(find_cookie("", "a").has_value());

  SECTION("tolerates sloppy separators and whitespace") {
    auto sloppy = parse_cookie_header(" a = 1 ;;b=2;\tc=3 ;");
    REQUIRE(sloppy.size() == 3);
    CHECK(sloppy[0].name == "a");
    CHECK(sloppy[0].value == "1");
    CHECK(sloppy[2].value == "3");
  }
  SECTION("skips pairs without '=' or with an empty name") {
    auto cookies2 = parse_cookie_header("flag; =orphan; ok=yes; ==");
    REQUIRE(cookies2.size() == 1);
    CHECK(cookies2[0].name == "ok");
  }
  SECTION("values may contain '='") { CHECK(find_cookie("t=abc==; u=1", "t") == "abc=="); }
  SECTION("first of duplicate names wins") {
    CHECK(find_cookie("x=first; x=second", "x") == "first");
  }
  SECTION("empty value") { CHECK(find_cookie("x=; y=1", "x") == ""); }
  SECTION("control characters disqualify a pair") {
    static const char raw[] = "a=1\x01; b=2; c\x7f=3; d=\0x";
    auto with_controls = parse_cookie_header(std::string(raw, sizeof raw - 1));
    REQUIRE(with_controls.size() == 1);
    CHECK(with_controls[0].name == "b");
  }
  SECTION("an oversized header is ignored") {
    std::string huge = "a=1; big=" + std::string(kMaxCookieHeaderBytes, 'x');
    CHECK(parse_cookie_header(huge).empty());
  }
  SECTION("a lone quote is kept as is") { CHECK(find_cookie("q=\"", "q") == "\""); }
}

TEST_CASE("Set-Cookie values", "[oauth][cookie]") {
  SetCookieOptions options;
  options.max_age_seconds = 600;
  CHECK(build_set_cookie("mcp-approved-clients", "v1.abc.def", options) ==
        "mcp-approved-clients=v1.abc.def; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=600");

  SECTION("clearing") {
    CHECK(build_clearing_set_cookie("session") ==
          "session=; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=0");
  }
  SECTION("negative max-age clamps to 0") {
    options.max_age_seconds = -5;
    CHECK(build_set_cookie("a", "b", options).value().find("Max-Age=0") != std::string::npos);
  }
  SECTION("options") {
    options.same_site = "Strict";
    options.path = "/authorize";
    options.http_only = false;
    CHECK(build_set_cookie("a", "b", options) ==
          "a=b; Secure; SameSite=Strict; Path=/authorize; Max-Age=600");
  }
  SECTION("invalid names, values and attributes are refused") {
    for (const char* name : {"", "a b", "a;b", "a=b", "a,b", "a\"b", "\x01", "é"}) {
      INFO(name);
      CHECK_FALSE(build_set_cookie(name, "v").has_value());
    }
    for (const char* value :
         {"a b", "a;b", "a,b", "a\"b", "a\\b", "\x7f", "\xc3\xa9", "v; Domain=evil.com"}) {
      INFO(value);
      CHECK_FALSE(build_set_cookie("n", value).has_value());
    }
    SetCookieOptions bad = options;
    bad.same_site = "lax";
    CHECK_FALSE(build_set_cookie("n", "v", bad).has_value());
    bad = options;
    bad.same_site = "None";
    bad.secure = false;
    CHECK_FALSE(build_set_cookie("n", "v", bad).has_value());
    bad = options;
    bad.path = "/a; Domain=evil";
    CHECK_FALSE(build_set_cookie("n", "v", bad).has_value());
    bad.path = "relative";
    CHECK_FALSE(build_set_cookie("n", "v", bad).has_value());
  }
}
