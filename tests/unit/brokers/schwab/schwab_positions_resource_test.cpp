// portfolio://positions for a Schwab person: every position of every account in one request
// (accounts?fields=positions), each naming its account by display name; the last good answer
// is kept in D1, so when Schwab is down the snapshot answers, marked stale with its time.
#include "unit/brokers/schwab/schwab_harness.hpp"

using namespace bmcp;
using namespace bmcp::testing::schwab;

TEST_CASE("portfolio://positions: fresh from Schwab, then the stale snapshot when it is down",
          "[schwab][resources]") {
  ToolBench b;
  bool listed = false;
  for (const auto& r : b.catalog.resources) listed = listed || r.uri == "portfolio://positions";
  REQUIRE(listed);

  Json fresh = b.read("portfolio://positions");
  REQUIRE(fresh.is_array());
  Json body = *parse_json(fresh[0]["text"].get<std::string>());
  CHECK(body["stale"] == false);
  REQUIRE(body["positions"].is_array());
  REQUIRE_FALSE(body["positions"].empty());
  for (const Json& p : body["positions"]) {
    REQUIRE(p["account"].is_string());
    CHECK(p["account"].get<std::string>().find("-...") != std::string::npos);
  }
  CHECK_FALSE(leaks(fresh));
  int account_requests = 0;
  for (const std::string& r : b.requests())
    account_requests += r == "GET /trader/v1/accounts?fields=positions";
  CHECK(account_requests == 1);
  auto rows = b.host.sql("SELECT user_id FROM positions WHERE provider = 'schwab'");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["user_id"] == b.principal.user_id);

  b.schwab.route = [](const std::string&, const std::string& path,
                      const Json&) -> std::optional<Json> {
    if (path.rfind("/trader/", 0) == 0) return response(503, {{"message", "Service unavailable"}});
    return std::nullopt;
  };
  b.host.advance(90'000);
  Json stale = b.read("portfolio://positions");
  Json s = *parse_json(stale[0]["text"].get<std::string>());
  CHECK(s["stale"] == true);
  CHECK(s["positions"].size() == body["positions"].size());
  CHECK(s["asOf"].is_string());
  CHECK(s["ageSeconds"].get<int>() >= 90);
  CHECK_FALSE(leaks(stale));
}

// subscriptions/listen: a read that finds other holdings than the last read tells the
// person's hub (USER_HUB named by their user id) that portfolio://positions changed; a
// price move is not a change of holdings, and a first read changes nothing anyone saw.
TEST_CASE(
    "portfolio://positions: other holdings than the last read are announced to the person's hub",
    "[schwab][resources][listen]") {
  ToolBench b;
  std::vector<Json> notices;
  b.host.object_fetch = [&notices](const Json& args) -> Json {
    notices.push_back(args);
    return {{"status", 200}, {"headers", Json::array()}, {"body", R"({"told":1})"}};
  };
  Json accounts = fixture("accounts.json");
  REQUIRE(accounts[0]["securitiesAccount"]["positions"].size() > 0);
  b.schwab.route = [&accounts](const std::string&, const std::string& path,
                               const Json& req) -> std::optional<Json> {
    if (path == "/trader/v1/accounts" && query_of(req) == "fields=positions")
      return response(200, accounts);
    return std::nullopt;
  };
  b.read("portfolio://positions");
  CHECK(notices.empty());  // the first snapshot
  b.read("portfolio://positions");
  CHECK(notices.empty());  // the same holdings

  Json& first = accounts[0]["securitiesAccount"]["positions"][0];
  first["marketValue"] = first.value("marketValue", 0.0) + 123.45;  // a price move
  b.read("portfolio://positions");
  CHECK(notices.empty());

  first["longQuantity"] = first.value("longQuantity", 0.0) + 5;  // a fill
  b.read("portfolio://positions");
  REQUIRE(notices.size() == 1);
  CHECK(notices[0]["binding"] == "USER_HUB");
  CHECK(notices[0]["name"] == b.principal.user_id);
  CHECK(notices[0]["request"]["url"] == "https://user-hub.internal/resource-updated");
  CHECK(parse_json(notices[0]["request"]["body"].get<std::string>()).value_or(Json()) ==
        Json{{"uri", "portfolio://positions"}});
}
