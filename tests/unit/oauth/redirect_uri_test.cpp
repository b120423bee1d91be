#include <catch2/catch.hpp>

#include "oauth/redirect_uri.hpp"

using namespace bmcp::oauth;

TEST_CASE("redirect URIs accepted at registration", "[oauth][redirect_uri]") {
  for (const char* uri :
       {"https://claude.ai/api/mcp/auth_callback",
        "https://chatgpt.com/connector_platform_oauth_redirect", "http://127.0.0.1:33418/callback",
        "http://127.0.0.1/cb", "http://[::1]:8080/cb", "http://localhost:6274/oauth/callback",
        "http://LOCALHOST:1/cb", "https://example.com/cb?tenant=1&x=%20", "HTTPS://EXAMPLE.COM/cb",
        "https://example.com", "https://example.com:8443/cb", "https://192.0.2.1/cb",
        "https://[2001:db8::1]/cb"}) {
    INFO(uri);
    auto check = validate_redirect_uri(uri);
    CHECK(check.ok());
    CHECK(check.message.empty());
  }
}

TEST_CASE("redirect URIs refused at registration", "[oauth][redirect_uri]") {
  const std::pair<const char*, RedirectUriError> cases[] = {
      {"", RedirectUriError::NotAbsolute},
      {"/callback", RedirectUriError::NotAbsolute},
      {"example.com/cb", RedirectUriError::NotAbsolute},
      {"1http://example.com/", RedirectUriError::NotAbsolute},
      {"http://example.com/cb", RedirectUriError::InsecureHttp},
      {"http://localhost.evil.com/cb", RedirectUriError::InsecureHttp},
      {"http://127.0.0.1.nip.io/cb", RedirectUriError::InsecureHttp},
      {"http://127.0.0.2/cb", RedirectUriError::InsecureHttp},
      {"https://example.com/cb#frag", RedirectUriError::HasFragment},
      {"https://example.com/cb#", RedirectUriError::HasFragment},
      {"https://user@example.com/cb", RedirectUriError::HasUserinfo},
      {"https://claude.ai@evil.example/cb", RedirectUriError::HasUserinfo},
      {"http://localhost@evil.example/cb", RedirectUriError::HasUserinfo},
      {"javascript:alert(1)", RedirectUriError::UnsupportedScheme},
      {"data:text/html,hi", RedirectUriError::UnsupportedScheme},
      {"cursor://anysphere.cursor-retrieval/oauth/callback", RedirectUriError::UnsupportedScheme},
      {"https://", RedirectUriError::MissingHost},
      {"https:/example.com/cb", RedirectUriError::MissingHost},
      {"https:///cb", RedirectUriError::MissingHost},
      {"https://exa mple.com/cb", RedirectUriError::Malformed},
      {"https://example.com/%zz", RedirectUriError::Malformed},
      {"https://example.com/\xc3\xa9", RedirectUriError::Malformed},
      {"https://example.com:99999/", RedirectUriError::Malformed},
      {"https://example.com:/cb", RedirectUriError::Malformed},
      {"https://example.com:8a/cb", RedirectUriError::Malformed},
      {"https://[::1/cb", RedirectUriError::Malformed},
      {"https://[zz]/cb", RedirectUriError::Malformed},
      {"https://example.com<script>/", RedirectUriError::Malformed},
      {"https://example.com/cb?code=x", RedirectUriError::ReservedParameter},
      {"https://example.com/cb?a=1&state=s", RedirectUriError::ReservedParameter},
      {"https://example.com/cb?iss=x", RedirectUriError::ReservedParameter},
      {"https://example.com/cb?a=%FF", RedirectUriError::Malformed},
  };
  for (const auto& [uri, expected] : cases) {
    INFO(uri);
    auto check = validate_redirect_uri(uri);
    CHECK(check.error == expected);
    CHECK_FALSE(check.message.empty());
  }
  CHECK(validate_redirect_uri("https://example.com/" + std::string(kMaxRedirectUriLength, 'a'))
            .error == RedirectUriError::TooLong);
}

TEST_CASE("private-use schemes only when the policy allows them (RFC 8252 §7.1)",
          "[oauth][redirect_uri]") {
  RedirectUriPolicy policy;
  policy.allow_private_use_schemes = true;
  CHECK(validate_redirect_uri("cursor://anysphere.cursor-retrieval/oauth/callback", policy).ok());
  CHECK(validate_redirect_uri("com.example.app:/oauth2redirect", policy).ok());
  for (const char* uri : {"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x",
                          "file:///etc/passwd", "vbscript:x", "blob:https://a/b"}) {
    INFO(uri);
    CHECK(validate_redirect_uri(uri, policy).error == RedirectUriError::UnsupportedScheme);
  }
  CHECK(validate_redirect_uri("com.example.app:/cb#x", policy).error ==
        RedirectUriError::HasFragment);
  CHECK(validate_redirect_uri("http://example.com/cb", policy).error ==
        RedirectUriError::InsecureHttp);
}

TEST_CASE("redirect URI matching is exact, with loopback ports free (RFC 8252 §7.3)",
          "[oauth][redirect_uri]") {
  SECTION("exact") {
    CHECK(redirect_uri_matches("https://claude.ai/api/mcp/auth_callback",
                               "https://claude.ai/api/mcp/auth_callback"));
    CHECK_FALSE(redirect_uri_matches("https://claude.ai/api/mcp/auth_callback",
                                     "https://claude.ai/api/mcp/auth_callback/"));
    CHECK_FALSE(redirect_uri_matches("https://claude.ai/cb", "https://CLAUDE.ai/cb"));
    CHECK_FALSE(redirect_uri_matches("https://claude.ai/cb", "https://claude.ai/cb?x=1"));
    CHECK_FALSE(redirect_uri_matches("https://claude.ai/cb", "https://claude.ai:443/cb"));
    CHECK_FALSE(redirect_uri_matches("https://claude.ai/cb", "https://claude.ai.evil.com/cb"));
    CHECK_FALSE(redirect_uri_matches("https://claude.ai/cb", ""));
  }
  SECTION("loopback IP literals: any port") {
    CHECK(redirect_uri_matches("http://127.0.0.1/callback", "http://127.0.0.1:51234/callback"));
    CHECK(redirect_uri_matches("http://127.0.0.1:1234/callback", "http://127.0.0.1:5678/callback"));
    CHECK(redirect_uri_matches("http://127.0.0.1:1234/callback", "http://127.0.0.1/callback"));
    CHECK(redirect_uri_matches("http://[::1]:1/cb?a=1", "http://[::1]:2/cb?a=1"));
  }
  SECTION("loopback: everything but the port must still match") {
    CHECK_FALSE(redirect_uri_matches("http://127.0.0.1:1/callback", "http://127.0.0.1:2/other"));
    CHECK_FALSE(redirect_uri_matches("http://127.0.0.1:1/cb", "http://[::1]:2/cb"));
    CHECK_FALSE(redirect_uri_matches("http://127.0.0.1:1/cb?a=1", "http://127.0.0.1:2/cb?a=2"));
    CHECK_FALSE(redirect_uri_matches("http://127.0.0.1:1/cb", "http://127.0.0.1:2/cb?"));
    CHECK_FALSE(redirect_uri_matches("http://127.0.0.1:1/cb", "http://user@127.0.0.1:2/cb"));
    CHECK_FALSE(redirect_uri_matches("http://127.0.0.1:1/cb", "http://127.0.0.1:2/cb#x"));
    CHECK_FALSE(redirect_uri_matches("http://127.0.0.1:1/cb", "https://127.0.0.1:2/cb"));
    CHECK_FALSE(redirect_uri_matches("http://127.0.0.1:1/cb", "http://127.0.0.1:99999/cb"));
  }
  SECTION("localhost and https get no port exception") {
    CHECK_FALSE(redirect_uri_matches("http://localhost:1234/cb", "http://localhost:5678/cb"));
    CHECK_FALSE(redirect_uri_matches("https://127.0.0.1:1/cb", "https://127.0.0.1:2/cb"));
  }
  SECTION("any of several registered URIs") {
    std::vector<std::string> registered{"https://a.example/cb", "http://127.0.0.1/cb"};
    CHECK(redirect_uri_matches_any(registered, "https://a.example/cb"));
    CHECK(redirect_uri_matches_any(registered, "http://127.0.0.1:9/cb"));
    CHECK_FALSE(redirect_uri_matches_any(registered, "https://b.example/cb"));
    CHECK_FALSE(redirect_uri_matches_any({}, "https://a.example/cb"));
  }
}

TEST_CASE("authorization responses are appended to the redirect URI (RFC 6749 §4.1.2, RFC 9207)",
          "[oauth][redirect_uri]") {
  const std::string issuer = "https://mcp.example.com";
  CHECK(build_authorization_redirect("https://c.example/cb", "abc", "xyz", issuer) ==
        "https://c.example/cb?code=abc&state=xyz&iss=https%3A%2F%2Fmcp.example.com");
  SECTION("existing query is kept") {
    CHECK(build_authorization_redirect("https://c.example/cb?tenant=1", "abc", "xyz", issuer) ==
          "https://c.example/cb?tenant=1&code=abc&state=xyz&iss=https%3A%2F%2Fmcp.example.com");
    CHECK(build_authorization_redirect("https://c.example/cb?", "abc", "", "") ==
          "https://c.example/cb?code=abc");
    CHECK(build_authorization_redirect("https://c.example/cb?a=1&", "abc", "", "") ==
          "https://c.example/cb?a=1&code=abc");
  }
  SECTION("state is encoded and omitted when empty") {
    CHECK(build_authorization_redirect("http://127.0.0.1:9/cb", "c", "a b&c=d", "") ==
          "http://127.0.0.1:9/cb?code=c&state=a+b%26c%3Dd");
    CHECK(build_authorization_redirect("http://127.0.0.1:9/cb", "c", "", issuer) ==
          "http://127.0.0.1:9/cb?code=c&iss=https%3A%2F%2Fmcp.example.com");
  }
  SECTION("a fragment stays last") {
    CHECK(append_query_parameters("https://c.example/cb#f", {{"code", "1"}}) ==
          "https://c.example/cb?code=1#f");
    CHECK(append_query_parameters("https://c.example/cb", {}) == "https://c.example/cb");
  }
  SECTION("error responses") {
    CHECK(build_authorization_error_redirect("https://c.example/cb", "access_denied",
                                             "user declined", "s1", issuer) ==
          "https://c.example/"
          "cb?error=access_denied&error_description=user+declined&state=s1&iss=https%3A%2F%2Fmcp."
          "example.com");
    CHECK(build_authorization_error_redirect("https://c.example/cb", "invalid_scope", "", "", "") ==
          "https://c.example/cb?error=invalid_scope");
  }
}
