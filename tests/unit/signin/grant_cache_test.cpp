// The bearer check remembers live grants for a few seconds. What ends a grant in this
// instance takes effect at once; in another instance (another isolate) within the cache's
// lifetime.
#include "signin_harness.hpp"

#include "oauth/grant_cache.hpp"

using namespace bmcp;
using namespace bmcp::testing;

TEST_CASE("the grant cache remembers briefly and forgets on demand", "[signin][grant-cache]") {
  oauth::GrantCache cache;
  cache.remember_live("g1", "schwab:a", 1000);
  CHECK(cache.is_live("g1", "schwab:a", 1000 + oauth::GrantCache::kTtlMs - 1));
  CHECK_FALSE(cache.is_live("g1", "schwab:a", 1000 + oauth::GrantCache::kTtlMs));
  CHECK_FALSE(cache.is_live("g1", "schwab:b", 1000));  // another person's token naming that grant
  cache.remember_live("g2", "schwab:a", 1000);
  cache.remember_live("g3", "tastytrade:c", 1000);
  cache.forget_user("schwab:a");
  CHECK(cache.size() == 1);
  cache.forget_grant("g3");
  CHECK(cache.size() == 0);
  for (int i = 0; i < 5000; ++i) cache.remember_live("g" + std::to_string(i), "u", 1000);
  CHECK(cache.size() <= oauth::GrantCache::kMaxEntries);
}

TEST_CASE("MCP requests skip D1 for a grant seen alive moments ago", "[signin][grant-cache]") {
  SigninHarness h;
  Json tokens = h.connect();
  std::string access = tokens["access_token"];
  REQUIRE(h.call_tool(access, "whoami").status == 200);
  auto grant_queries = [&]() {
    int n = 0;
    for (const Effect& e : h.host.effect_log)
      if (e.kind == "d1.query" &&
          get_string(e.args, "sql").value_or("").find("LEFT JOIN user_oauth_tokens") !=
              std::string::npos)
        ++n;
    return n;
  };
  int before = grant_queries();
  for (int i = 0; i < 5; ++i) CHECK(h.call_tool(access, "whoami").status == 200);
  CHECK(grant_queries() == before);
  h.host.advance(oauth::GrantCache::kTtlMs);
  CHECK(h.call_tool(access, "whoami").status == 200);
  CHECK(grant_queries() == before + 1);

  SECTION("a revocation seen by another instance takes effect within the cache's lifetime") {
    auto created = app::App::create(signin_env(), signin_catalogs);
    std::unique_ptr<app::App> other = std::move(std::get<std::unique_ptr<app::App>>(created));
    std::swap(h.app, other);  // the revocation reaches the other instance
    Reply revoked = h.post_form("/revoke", {{"token", tokens["refresh_token"].get<std::string>()},
                                            {"client_id", tokens["client_id"].get<std::string>()}});
    CHECK(revoked.status == 200);
    std::swap(h.app, other);
    CHECK(h.call_tool(access, "whoami").status == 200);  // still remembered here…
    h.host.advance(oauth::GrantCache::kTtlMs);
    CHECK(h.call_tool(access, "whoami").status == 401);  // …for a few seconds only
  }
}

TEST_CASE("a token whose twin was just accepted is refused when its signature or claims differ",
          "[signin][grant-cache][verified-cache]") {
  // The bearer check remembers verified tokens (oauth/verified_jwt_cache.hpp); a forged
  // variant of a remembered token is still refused through the endpoint.
  SigninHarness h;
  Json tokens = h.connect();
  const std::string access = tokens["access_token"];
  REQUIRE(h.call_tool(access, "whoami").status == 200);
  const std::size_t second_dot = access.rfind('.');
  std::string bad_signature = access;
  bad_signature[second_dot + 3] = bad_signature[second_dot + 3] == 'A' ? 'B' : 'A';
  Reply refused = h.call_tool(bad_signature, "whoami");
  CHECK(refused.status == 401);
  CHECK(refused.header("WWW-Authenticate").find("invalid_token") != std::string::npos);
  // Another person's claims under the remembered signature.
  const std::size_t first_dot = access.find('.');
  Json claims =
      parse_json(crypto::base64url_decode(access.substr(first_dot + 1, second_dot - first_dot - 1))
                     .value())
          .value();
  claims["sub"] = "schwab:mallory";
  std::string swapped = access.substr(0, first_dot + 1) +
                        crypto::base64url_encode(dump_json(claims)) + access.substr(second_dot);
  CHECK(h.call_tool(swapped, "whoami").status == 401);
  CHECK(h.call_tool(access, "whoami").status == 200);
}
