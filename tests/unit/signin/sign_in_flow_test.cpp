// The whole sign-in as an MCP client and a browser go through it: discovery, registration,
// consent, the broker's login, our callback, the code exchange, MCP requests with the
// access token, refresh, and revocation — for Schwab and for tastytrade.
#include "signin_harness.hpp"

#include "oauth/approval_cookie.hpp"

using namespace bmcp;
using namespace bmcp::testing;

TEST_CASE("discovery documents name this server and its endpoints", "[signin]") {
  SigninHarness h;
  SECTION("protected resource metadata, at the root and path-inserted") {
    for (const char* path :
         {"/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"}) {
      Reply r = h.fetch("GET", std::string(kOrigin) + path);
      REQUIRE(r.status == 200);
      Json j = r.json();
      CHECK(j["resource"] == std::string(kOrigin) + "/mcp");
      CHECK(j["authorization_servers"] == Json::array({kOrigin}));
      CHECK(j["bearer_methods_supported"] == Json::array({"header"}));
      CHECK(r.header("Access-Control-Allow-Origin") == "*");
    }
  }
  SECTION("authorization server metadata (RFC 8414)") {
    Reply r = h.fetch("GET", std::string(kOrigin) + "/.well-known/oauth-authorization-server");
    REQUIRE(r.status == 200);
    Json j = r.json();
    CHECK(j["issuer"] == kOrigin);
    CHECK(j["authorization_endpoint"] == std::string(kOrigin) + "/authorize");
    CHECK(j["token_endpoint"] == std::string(kOrigin) + "/token");
    CHECK(j["registration_endpoint"] == std::string(kOrigin) + "/register");
    CHECK(j["revocation_endpoint"] == std::string(kOrigin) + "/revoke");
    CHECK(j["code_challenge_methods_supported"] == Json::array({"S256"}));
    CHECK(j["grant_types_supported"] == Json::array({"authorization_code", "refresh_token"}));
  }
  SECTION("PUBLIC_URL overrides the request's origin") {
    Json env = signin_env();
    env["PUBLIC_URL"] = "https://mcp.example.com/";
    SigninHarness p(env);
    Json j =
        p.fetch("GET", std::string(kOrigin) + "/.well-known/oauth-authorization-server").json();
    CHECK(j["issuer"] == "https://mcp.example.com");
    Json prm =
        p.fetch("GET", std::string(kOrigin) + "/.well-known/oauth-protected-resource/mcp").json();
    CHECK(prm["resource"] == "https://mcp.example.com/mcp");
  }
  SECTION("CORS preflight for browser-based clients") {
    Reply r = h.fetch("OPTIONS", std::string(kOrigin) + "/token");
    CHECK(r.status == 204);
    CHECK(r.header("Access-Control-Allow-Origin") == "*");
  }
}

TEST_CASE("a Schwab sign-in from registration to revocation", "[signin]") {
  SigninHarness h;
  Reply unauthenticated = h.mcp("", {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}});
  CHECK(unauthenticated.status == 401);
  CHECK(
      unauthenticated.header("WWW-Authenticate") ==
      std::string("Bearer resource_metadata=\"") + kOrigin +
          "/.well-known/oauth-protected-resource/mcp\", scope=\"brokerage:read brokerage:trade\"");

  Json tokens = h.connect("schwab", "alice");
  REQUIRE(tokens.contains("access_token"));
  CHECK(tokens["token_type"] == "Bearer");
  CHECK(tokens["expires_in"] == 3600);
  CHECK(tokens["scope"] == "brokerage:read brokerage:trade");
  std::string access = tokens["access_token"];
  std::string refresh = tokens["refresh_token"];
  CHECK(refresh.size() == 43);

  // The principal behind the token: the Schwab customer id, not the per-login correl id.
  Reply who = h.call_tool(access, "whoami");
  REQUIRE(who.status == 200);
  Json structured = SigninHarness::tool_result(who)["structuredContent"];
  CHECK(structured["user"] == "schwab:CUST-alice");
  CHECK(structured["broker"] == "schwab");

  // Broker tokens are sealed at rest.
  auto rows =
      h.host.sql("SELECT sealed_tokens FROM user_oauth_tokens WHERE user_id = 'schwab:CUST-alice'");
  REQUIRE(rows.size() == 1);
  std::string sealed = rows[0]["sealed_tokens"];
  CHECK(sealed.rfind("v1.", 0) == 0);
  CHECK(sealed.find("I0.access") == std::string::npos);
  // Only hashes of what we issue are stored.
  CHECK(h.snapshot().find(refresh) == std::string::npos);

  Reply token = h.call_tool(access, "broker_token");
  CHECK(SigninHarness::tool_result(token)["content"][0]["text"].get<std::string>().rfind(
            "I0.access-", 0) == 0);

  // Refresh rotates.
  Reply refreshed = h.post_form("/token", {{"grant_type", "refresh_token"},
                                           {"refresh_token", refresh},
                                           {"client_id", tokens["client_id"].get<std::string>()}});
  REQUIRE(refreshed.status == 200);
  std::string refresh2 = refreshed.json()["refresh_token"];
  CHECK(refresh2 != refresh);
  std::string access2 = refreshed.json()["access_token"];
  CHECK(h.call_tool(access2, "whoami").status == 200);

  // Revocation ends the grant: refresh and access tokens stop working.
  Reply revoked = h.post_form(
      "/revoke", {{"token", refresh2}, {"client_id", tokens["client_id"].get<std::string>()}});
  CHECK(revoked.status == 200);
  Reply after = h.call_tool(access2, "whoami");
  CHECK(after.status == 401);
  CHECK(after.header("WWW-Authenticate").find("error=\"invalid_token\"") != std::string::npos);
  Reply again = h.post_form("/token", {{"grant_type", "refresh_token"},
                                       {"refresh_token", refresh2},
                                       {"client_id", tokens["client_id"].get<std::string>()}});
  CHECK(again.status == 400);
  CHECK(again.json()["error"] == "invalid_grant");
}

TEST_CASE("a tastytrade sign-in identifies the person by external-id and email", "[signin]") {
  SigninHarness h;
  Json tokens = h.connect("tastytrade", "bob");
  std::string access = tokens["access_token"];
  Json structured = SigninHarness::tool_result(h.call_tool(access, "whoami"))["structuredContent"];
  CHECK(structured["user"] == "tastytrade:U-bob");
  CHECK(structured["email"] == "bob@example.com");
  CHECK(structured["broker"] == "tastytrade");
  // tastytrade's token endpoint rejects requests without a User-Agent.
  REQUIRE(!h.broker.token_user_agents.empty());
  CHECK(h.broker.token_user_agents.back().rfind("broker-mcp/", 0) == 0);
  auto users = h.host.sql("SELECT provider, external_id, email FROM users");
  REQUIRE(users.size() == 1);
  CHECK(users[0]["email"] == "bob@example.com");
}

TEST_CASE("the approval cookie skips the consent page the next time", "[signin]") {
  SigninHarness h;
  Json client = h.register_client();
  std::string id = client["client_id"];
  std::string first = h.sign_in(id, SigninHarness::verifier(), "tastytrade", "alice");
  CHECK(query_of(first).count("code") == 1);
  REQUIRE(h.cookies.count(std::string(oauth::kApprovalCookieName)) == 1);

  Reply second = h.fetch("GET", h.authorize_url(id, SigninHarness::verifier('w')), {}, "", true);
  REQUIRE(second.status == 302);
  CHECK(second.header("Location").rfind("https://tt.test/auth.html?", 0) == 0);

  // Another client is not covered by the approval.
  Json other = h.register_client();
  Reply page =
      h.fetch("GET", h.authorize_url(other["client_id"], SigninHarness::verifier()), {}, "", true);
  CHECK(page.status == 200);
}

TEST_CASE("the consent page says who asks, where the answer goes and what is granted", "[signin]") {
  SigninHarness h;
  Json client = h.register_client({{"client_name", "Claude <script>"},
                                   {"redirect_uris", Json::array({kClientRedirect})},
                                   {"token_endpoint_auth_method", "none"}});
  Reply page = h.fetch("GET", h.authorize_url(client["client_id"], SigninHarness::verifier()));
  REQUIRE(page.status == 200);
  CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(page.header("X-Frame-Options") == "DENY");
  CHECK(page.header("Content-Security-Policy").find("default-src 'none'") != std::string::npos);
  CHECK(page.body.find("Claude &lt;script&gt;") != std::string::npos);
  CHECK(page.body.find("<script>") == std::string::npos);
  CHECK(page.body.find("127.0.0.1:9") != std::string::npos);
  CHECK(page.body.find("Charles Schwab") != std::string::npos);
  CHECK(page.body.find("tastytrade") != std::string::npos);
  CHECK(page.body.find("id=\"approve\"") != std::string::npos);
  CHECK(page.body.find("id=\"deny\"") != std::string::npos);
  CHECK(page.body.find("sent to your broker only after you confirm") != std::string::npos);
  CHECK(page.body.find("sandbox") == std::string::npos);
  auto set_cookies = page.set_cookies();
  REQUIRE(set_cookies.size() == 1);
  CHECK(set_cookies[0].find("HttpOnly; Secure; SameSite=Lax") != std::string::npos);

  Json env = signin_env();
  env["SANDBOX_BROKERAGE"] = "1";
  env["TRADING_MODE"] = "disabled";
  SigninHarness sandbox(env);
  Json c2 = sandbox.register_client();
  Reply p2 =
      sandbox.fetch("GET", sandbox.authorize_url(c2["client_id"], SigninHarness::verifier()));
  CHECK(p2.body.find("id=\"sandbox-notice\"") != std::string::npos);
  CHECK(p2.body.find("Trading is turned off") != std::string::npos);
}

TEST_CASE("Deny sends access_denied back to the client", "[signin]") {
  SigninHarness h;
  Json client = h.register_client();
  Reply page =
      h.fetch("GET", h.authorize_url(client["client_id"], SigninHarness::verifier()), {}, "", true);
  std::string before = h.snapshot();
  Reply denied = h.post_form("/authorize",
                             {{"ticket", form_field(page.body, "ticket")},
                              {"csrf_token", form_field(page.body, "csrf_token")},
                              {"broker", "schwab"},
                              {"action", "deny"}},
                             {}, true);
  REQUIRE(denied.status == 302);
  auto q = query_of(denied.header("Location"));
  CHECK(q["error"] == "access_denied");
  CHECK(q["state"] == "client-state-123");
  CHECK(q["iss"] == kOrigin);
  CHECK(h.snapshot() == before);
  CHECK(h.cookies.count(std::string(oauth::kApprovalCookieName)) == 0);
}
