// tastytrade personal-grant sign-in (TASTYTRADE_SIGN_IN=personal) through the endpoints:
// after the consent page the person is asked for their grant's refresh token; a token
// tastytrade accepts for this deployment's OAuth application signs them in (the client gets
// a code, the token is stored sealed and used for later refreshes); a wrong or revoked one
// gets the form again with the reason and stores nothing; the form only works in the browser
// that approved; every step is logged without the token.
#include "signin_harness.hpp"

#include "app/config.hpp"

using namespace bmcp;
using namespace bmcp::testing;

namespace {

Json personal_env() {
  Json env = signin_env();
  env["TASTYTRADE_SIGN_IN"] = "personal";
  return env;
}

struct GrantPage {
  Reply page;
  std::string state;
};

// Registration, /authorize, approve with tastytrade: the page that asks for the token.
GrantPage open_grant_page(SigninHarness& h, const std::string& client_id) {
  Reply consent = h.fetch("GET", h.authorize_url(client_id, h.verifier()), {}, "", true);
  REQUIRE(consent.status == 200);
  Reply page = h.post_form("/authorize",
                           {{"ticket", form_field(consent.body, "ticket")},
                            {"csrf_token", form_field(consent.body, "csrf_token")},
                            {"broker", "tastytrade"},
                            {"action", "approve"}},
                           {}, true);
  return {page, form_field(page.body, "state")};
}

Reply submit(SigninHarness& h, const std::string& state, const std::string& token,
             bool with_cookies = true) {
  return h.post_form("/personal-grant", {{"state", state}, {"refresh_token", token}}, {},
                     with_cookies);
}

}  // namespace

TEST_CASE("personal grant: the token tastytrade accepts signs the person in",
          "[signin][personal-grant]") {
  SigninHarness h(personal_env());
  const std::string grant = h.broker.personal_grant("bob");
  Json client = h.register_client();
  const std::string id = client["client_id"];
  Reply consent = h.fetch("GET", h.authorize_url(id, h.verifier()), {}, "", true);
  CHECK(consent.body.find("tastytrade (personal grant)") !=
        std::string::npos);  // the page says which way
  GrantPage asked = open_grant_page(h, id);
  REQUIRE(asked.page.status == 200);
  CHECK(asked.page.body.find("type=\"password\" name=\"refresh_token\"") != std::string::npos);
  CHECK(asked.page.body.find("tt-client") != std::string::npos);  // which OAuth application
  CHECK(h.broker.code_exchanges == 0);
  REQUIRE_FALSE(asked.state.empty());

  Reply back = submit(h, asked.state, "  " + grant + "\n");  // pasted with spaces around
  REQUIRE(back.status == 302);
  auto q = query_of(back.header("Location"));
  REQUIRE(q.count("code"));
  CHECK(q["state"] == "client-state-123");
  Json tokens = h.exchange(id, q["code"], h.verifier());
  REQUIRE(tokens["access_token"].is_string());
  CHECK(h.broker.refreshes == 1);  // the live check

  // The stored sign-in is the personal grant: once the access token ages, it is refreshed
  // with the grant's refresh token.
  h.host.advance(3600 * 1000);
  Reply called = h.call_tool(tokens["access_token"], "broker_token");
  CHECK(SigninHarness::tool_result(called).value("isError", false) == false);
  CHECK(h.broker.refreshes == 2);

  const std::string logs = h.log.all();
  CHECK(logs.find("sign-in personal grant") != std::string::npos);
  CHECK(logs.find("\"outcome\":\"accepted\"") != std::string::npos);
  CHECK(logs.find("sign-in stored") != std::string::npos);
  CHECK(logs.find("broker token refresh") != std::string::npos);
  CHECK(logs.find(grant) == std::string::npos);
  CHECK(logs.find(q["code"]) == std::string::npos);
  CHECK(h.snapshot().find(grant) == std::string::npos);  // sealed at rest
}

TEST_CASE("personal grant: a wrong or revoked token gets the form again and stores nothing",
          "[signin][personal-grant]") {
  SigninHarness h(personal_env());
  Json client = h.register_client();
  GrantPage asked = open_grant_page(h, client["client_id"]);
  const std::string before = h.snapshot();

  SECTION("wrong") {
    Reply r = submit(h, asked.state, "tt.personal.not-a-grant");
    CHECK(r.status == 400);
    CHECK(r.body.find("tastytrade did not accept this refresh token") != std::string::npos);
    CHECK(r.body.find("tt.personal.not-a-grant") == std::string::npos);  // never echoed
    CHECK(form_field(r.body, "state") == asked.state);  // try again on the same page
    CHECK(h.snapshot() == before);
    // The right one on the same form still works.
    const std::string grant = h.broker.personal_grant("alice");
    CHECK(submit(h, asked.state, grant).status == 302);
  }
  SECTION("revoked: the grant was deleted at tastytrade") {
    const std::string grant = h.broker.personal_grant("alice");
    h.broker.refresh.erase(grant);
    Reply r = submit(h, asked.state, grant);
    CHECK(r.status == 400);
    CHECK(r.body.find("its grant was deleted") != std::string::npos);
    CHECK(h.snapshot() == before);
    CHECK(h.log.all().find("\"outcome\":\"refused\"") != std::string::npos);
  }
  SECTION("tastytrade down: try again later, nothing stored") {
    h.broker.fail_refresh_with = 503;
    Reply r = submit(h, asked.state, h.broker.personal_grant("alice"));
    CHECK(r.status == 502);
    CHECK(h.snapshot() == before);
  }
  SECTION("empty or not a token") {
    CHECK(submit(h, asked.state, "   ").status == 400);
    CHECK(submit(h, asked.state, "two words").status == 400);
    CHECK(h.broker.refreshes == 0);  // nothing sent to tastytrade
  }
}

TEST_CASE(
    "personal grant: the form works only in the browser that approved, and only when configured",
    "[signin][personal-grant]") {
  SigninHarness h(personal_env());
  Json client = h.register_client();
  GrantPage asked = open_grant_page(h, client["client_id"]);
  const std::string grant = h.broker.personal_grant("alice");
  SECTION("another browser (no login cookie)") {
    Reply r = submit(h, asked.state, grant, false);
    CHECK(r.status == 403);
    CHECK(h.broker.refreshes == 0);
  }
  SECTION("a forged or expired state") {
    CHECK(submit(h, asked.state + "x", grant).status == 400);
    h.host.advance(11 * 60 * 1000);
    Reply r = submit(h, asked.state, grant);
    CHECK(r.status == 400);
    CHECK(r.body.find("took too long") != std::string::npos);
    CHECK(h.broker.refreshes == 0);
  }
  SECTION("GET is not allowed") {
    CHECK(h.fetch("GET", std::string(kOrigin) + "/personal-grant").status == 405);
  }
  SECTION("partner mode (the default) has no such form, and tastytrade goes to its sign-in page") {
    SigninHarness partner;
    CHECK(partner.post_form("/personal-grant", {{"state", "x"}, {"refresh_token", "y"}}).status ==
          404);
    CHECK(partner.connect("tastytrade", "bob")["access_token"].is_string());
  }
}

TEST_CASE(
    "personal grant: ALLOWED_USERS applies, and TASTYTRADE_SIGN_IN accepts only its two values",
    "[signin][personal-grant]") {
  Json env = personal_env();
  env["ALLOWED_USERS"] = "tastytrade:U-alice";
  SigninHarness h(env);
  Json client = h.register_client();
  GrantPage asked = open_grant_page(h, client["client_id"]);
  Reply r = submit(h, asked.state, h.broker.personal_grant("bob"));
  CHECK(r.status == 403);
  CHECK(r.body.find("tastytrade:U-bob") != std::string::npos);
  CHECK(h.host.sql("SELECT * FROM user_oauth_tokens").empty());

  Json bad = signin_env();
  bad["TASTYTRADE_SIGN_IN"] = "password";
  auto parsed = app::parse_config(bad);
  REQUIRE(std::holds_alternative<std::vector<std::string>>(parsed));
  CHECK(std::get<std::vector<std::string>>(parsed).front().find("TASTYTRADE_SIGN_IN") !=
        std::string::npos);
}
