// Dynamic client registration is open to anyone, so it is bounded: a per-address rate limit,
// a cap on stored clients, and clients that were never (or long not) used expire.
#include "signin_harness.hpp"

using namespace bmcp;
using namespace bmcp::testing;

namespace {

Reply register_from(SigninHarness& h, const std::string& address) {
  Json metadata = {{"client_name", "Flood"},
                   {"redirect_uris", Json::array({kClientRedirect})},
                   {"token_endpoint_auth_method", "none"}};
  return h.fetch("POST", std::string(kOrigin) + "/register",
                 {{"Content-Type", "application/json"}, {"CF-Connecting-IP", address}},
                 dump_json(metadata));
}

std::int64_t client_count(SigninHarness& h) {
  return h.host.sql("SELECT count(*) AS n FROM oauth_clients")[0]["n"].get<std::int64_t>();
}

bool client_exists(SigninHarness& h, const std::string& id) {
  return !h.host.sql("SELECT client_id FROM oauth_clients WHERE client_id = ?1", Json::array({id}))
              .empty();
}

}  // namespace

TEST_CASE("a registration flood from one address gets 429 after the limit",
          "[signin][register][bounds]") {
  Json env = signin_env();
  env["REGISTRATIONS_PER_HOUR"] = "5";
  SigninHarness h(env);
  for (int i = 0; i < 5; ++i) CHECK(register_from(h, "203.0.113.7").status == 201);
  for (int i = 0; i < 20; ++i) {
    Reply refused = register_from(h, "203.0.113.7");
    CHECK(refused.status == 429);
    CHECK(refused.json()["error"] == "temporarily_unavailable");
    CHECK(std::stoll(refused.header("Retry-After")) >= 1);
    CHECK(std::stoll(refused.header("Retry-After")) <= 3600);
  }
  CHECK(client_count(h) == 5);
  CHECK(register_from(h, "198.51.100.1").status == 201);  // another address has its own count
  // The window is counted under a hash: D1 never holds the address.
  CHECK(dump_json(h.host.sql("SELECT * FROM registration_rate_windows")).find("203.0.113.7") ==
        std::string::npos);
  h.host.advance(3600 * 1000);
  CHECK(register_from(h, "203.0.113.7").status == 201);  // the next hour
  CHECK(h.host.sql("SELECT count(*) AS n FROM registration_rate_windows")[0]["n"] ==
        1);  // past hours deleted
}

TEST_CASE("the default limit is 20 registrations per address per hour",
          "[signin][register][bounds]") {
  SigninHarness h;
  for (int i = 0; i < 20; ++i) REQUIRE(register_from(h, "203.0.113.8").status == 201);
  CHECK(register_from(h, "203.0.113.8").status == 429);
}

TEST_CASE("the number of stored clients is capped", "[signin][register][bounds]") {
  SigninHarness h;
  const std::int64_t now = h.host.now_ms;
  h.host.sql(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9999) "
      "INSERT INTO oauth_clients (client_id, client_secret_hash, metadata, created_at, "
      "last_used_at) "
      "SELECT 'filler-' || i, NULL, '{}', ?1, ?1 FROM n",
      Json::array({now}));
  REQUIRE(client_count(h) == 9999);
  CHECK(register_from(h, "203.0.113.1").status == 201);  // the 10,000th
  Reply full = register_from(h, "203.0.113.2");
  CHECK(full.status == 503);
  CHECK(full.json()["error"] == "temporarily_unavailable");
  CHECK(client_count(h) == 10000);
  // Once clients expire, registrations make room by deleting them.
  h.host.advance(61LL * 24 * 3600 * 1000);
  CHECK(register_from(h, "203.0.113.2").status == 201);
  CHECK(client_count(h) == 10000 - 100 + 1);
}

TEST_CASE("clients that were never used expire after a day; used ones after 60 idle days",
          "[signin][register][bounds]") {
  SigninHarness h;
  Json unused = h.register_client();
  Json tokens = h.connect();  // registers, signs in, exchanges the code: used
  std::string used = tokens["client_id"];
  std::string unused_id = unused["client_id"];
  h.host.advance(23 * 3600 * 1000);
  register_from(h, "203.0.113.9");
  CHECK(client_exists(h, unused_id));  // not a day yet
  h.host.advance(2 * 3600 * 1000);
  Reply later = register_from(h, "203.0.113.9");
  CHECK(later.status == 201);
  CHECK_FALSE(client_exists(h, unused_id));
  CHECK(client_exists(h, used));
  Reply gone = h.fetch("GET", h.authorize_url(unused_id, SigninHarness::verifier()));
  CHECK(gone.status == 400);
  CHECK(gone.body.find("not registered") != std::string::npos);
  // Getting tokens keeps a client in use; 60 days without tokens ends it.
  h.host.advance(20LL * 24 * 3600 * 1000);
  Reply refreshed = h.post_form("/token", {{"grant_type", "refresh_token"},
                                           {"refresh_token", tokens["refresh_token"]},
                                           {"client_id", used}});
  REQUIRE(refreshed.status == 200);
  h.host.advance(59LL * 24 * 3600 * 1000);
  register_from(h, "203.0.113.9");
  CHECK(client_exists(h, used));
  h.host.advance(2LL * 24 * 3600 * 1000);
  register_from(h, "203.0.113.9");
  CHECK_FALSE(client_exists(h, used));
  CHECK_FALSE(client_exists(h, later.json()["client_id"]));  // never used either
}
