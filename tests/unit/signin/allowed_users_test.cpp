// ALLOWED_USERS through the sign-in endpoints: a listed person signs in as before; anyone
// else the broker signs in sees a plain refusal page naming their identity, and nothing is
// stored for them (no user, broker tokens, grant or code). E-mail entries match the e-mail
// the broker reports, ignoring case; a malformed entry is a configuration error.
#include "signin_harness.hpp"

#include "app/config.hpp"

using namespace bmcp;
using namespace bmcp::testing;

namespace {

Json env_allowing(const std::string& list) {
  Json env = signin_env();
  env["ALLOWED_USERS"] = list;
  return env;
}

}  // namespace

TEST_CASE("ALLOWED_USERS: only the listed people get a grant", "[signin][allowed-users]") {
  SigninHarness h(env_allowing("schwab:CUST-alice, bob@Example.com"));
  SECTION("listed by identity: signed in as before") {
    Json tokens = h.connect("schwab", "alice");
    CHECK(tokens["access_token"].is_string());
  }
  SECTION("listed by e-mail (tastytrade reports one), in another case") {
    Json tokens = h.connect("tastytrade", "bob");
    CHECK(tokens["access_token"].is_string());
  }
  SECTION("not listed: a refusal page with their identity, and nothing stored") {
    Json client = h.register_client();
    Reply back = h.broker_callback(client["client_id"], h.verifier(), "schwab", "carol");
    CHECK(back.status == 403);
    CHECK(back.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(back.header("Location").empty());  // never sent back to the client with a code
    CHECK(back.body.find("This server is private") != std::string::npos);
    CHECK(back.body.find("schwab:CUST-carol") != std::string::npos);
    CHECK(h.host.sql("SELECT * FROM oauth_grants").empty());
    CHECK(h.host.sql("SELECT * FROM user_oauth_tokens").empty());
    CHECK(h.host.sql("SELECT * FROM users").empty());
    CHECK(h.host.sql("SELECT * FROM oauth_codes").empty());
  }
}

TEST_CASE("ALLOWED_USERS empty admits everyone; a malformed entry is a configuration error",
          "[signin][allowed-users]") {
  SigninHarness open;
  CHECK(open.connect("schwab", "carol")["access_token"].is_string());
  auto parsed = app::parse_config(env_allowing("schwab:CUST-alice, carol"));
  REQUIRE(std::holds_alternative<std::vector<std::string>>(parsed));
  const auto& errors = std::get<std::vector<std::string>>(parsed);
  bool named = false;
  for (const auto& e : errors)
    named = named || e.find("ALLOWED_USERS: \"carol\"") != std::string::npos;
  CHECK(named);
}
