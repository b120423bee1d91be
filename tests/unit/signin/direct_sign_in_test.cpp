// A tastytrade sign-in that starts at tastytrade (no client, no state): refused unless
// TASTYTRADE_DIRECT_SIGN_IN=1; when allowed, a read-only session whose grant /revoke and
// the bearer check honour.
#include "signin_harness.hpp"

using namespace bmcp;
using namespace bmcp::testing;

namespace {

Json direct_env() {
  Json env = signin_env();
  env["TASTYTRADE_DIRECT_SIGN_IN"] = "1";
  return env;
}

std::string direct_callback(SigninHarness& h, const std::string& user) {
  std::string code = h.broker.direct_code(user, std::string(kOrigin) + "/oauth/callback");
  return std::string(kOrigin) + "/oauth/callback?code=" + code;
}

}  // namespace

TEST_CASE("a stateless tastytrade callback is refused unless direct sign-in is configured",
          "[signin][callback][direct]") {
  SigninHarness h;
  std::string before = h.snapshot();
  Reply r = h.fetch("GET", direct_callback(h, "carol"));
  CHECK(r.status == 400);
  CHECK(r.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(r.body.find("\"token\"") == std::string::npos);
  CHECK(h.broker.code_exchanges == 0);  // the code never reached tastytrade
  CHECK(h.snapshot() == before);
}

TEST_CASE("direct sign-in, when configured, is read-only and revocable",
          "[signin][callback][direct]") {
  SigninHarness h(direct_env());
  Reply r = h.fetch("GET", direct_callback(h, "carol"));
  REQUIRE(r.status == 200);
  std::string token = r.json()["token"];
  Json who = SigninHarness::tool_result(h.call_tool(token, "whoami"))["structuredContent"];
  CHECK(who["user"] == "tastytrade:U-carol");
  CHECK(who["scope"] == "brokerage:read");
  auto grants = h.host.sql("SELECT client_id, scope, revoked_at FROM oauth_grants");
  REQUIRE(grants.size() == 1);
  CHECK(grants[0]["client_id"] == "direct-sign-in");
  CHECK(grants[0]["scope"] == "brokerage:read");

  SECTION("/revoke with the token ends the session") {
    Reply revoked = h.post_form("/revoke", {{"token", token}, {"client_id", "direct-sign-in"}});
    CHECK(revoked.status == 200);
    CHECK(h.host.sql("SELECT revoked_at FROM oauth_grants")[0]["revoked_at"].is_number());
    Reply after = h.call_tool(token, "whoami");
    CHECK(after.status == 401);
    CHECK(after.header("WWW-Authenticate").find("revoked") != std::string::npos);
  }
  SECTION("revoking the grant in D1 ends it too (the grant check, after its short cache)") {
    h.host.sql("UPDATE oauth_grants SET revoked_at = 1");
    h.host.advance(11 * 1000);
    CHECK(h.call_tool(token, "whoami").status == 401);
  }
  SECTION("the built-in client can do nothing else") {
    Reply code_grant = h.post_form("/token", {{"grant_type", "authorization_code"},
                                              {"code", std::string(43, 'A')},
                                              {"redirect_uri", kClientRedirect},
                                              {"code_verifier", SigninHarness::verifier()},
                                              {"client_id", "direct-sign-in"}});
    CHECK(code_grant.json()["error"] == "unauthorized_client");
    Reply authorize = h.fetch("GET", h.authorize_url("direct-sign-in", SigninHarness::verifier()));
    CHECK(authorize.status == 400);
    CHECK(authorize.header("Location").empty());
    // Another client cannot revoke the session.
    Json other = h.register_client();
    CHECK(h.post_form("/revoke", {{"token", token}, {"client_id", other["client_id"]}}).status ==
          200);
    CHECK(h.call_tool(token, "whoami").status == 200);
  }
}

TEST_CASE("direct sessions stop working when direct sign-in is turned off",
          "[signin][callback][direct]") {
  SigninHarness on(direct_env());
  Reply r = on.fetch("GET", direct_callback(on, "carol"));
  REQUIRE(r.status == 200);
  std::string token = r.json()["token"];
  SigninHarness off;  // same secrets, direct sign-in not configured
  Reply refused = off.call_tool(token, "whoami");
  CHECK(refused.status == 401);
  CHECK(refused.header("WWW-Authenticate").find("turned off") != std::string::npos);
}
