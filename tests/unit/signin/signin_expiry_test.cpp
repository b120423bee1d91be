// Sign-in health in plain words, under the fake platform's clock: the status tool says
// whether the person is signed in at their broker, when that sign-in ends (Schwab: 7 days
// after signing in; tastytrade: not by itself) and what to do; in the last 24 hours every
// tool result that reached the broker carries a short notice, once.
#include "signin_harness.hpp"

using namespace bmcp;
using namespace bmcp::testing;

namespace {

Json status_of(SigninHarness& h, const std::string& token) {
  Reply r = h.call_tool(token, "status");
  REQUIRE(r.status == 200);
  return SigninHarness::tool_result(r)["structuredContent"]["broker"]["signIn"];
}

// The text blocks of a tool result after its first (the tool's own content).
std::vector<std::string> notes_of(const Reply& r) {
  std::vector<std::string> out;
  const Json result = SigninHarness::tool_result(r);
  for (std::size_t i = 1; i < result["content"].size(); ++i)
    out.push_back(result["content"][i]["text"]);
  return out;
}

// A new access token for this server (the client's refresh grant): ours last an hour.
std::string refreshed(SigninHarness& h, Json& tokens) {
  Reply r = h.post_form("/token", {{"grant_type", "refresh_token"},
                                   {"refresh_token", tokens["refresh_token"].get<std::string>()},
                                   {"client_id", tokens["client_id"].get<std::string>()}});
  REQUIRE(r.status == 200);
  Json next = r.json();
  next["client_id"] = tokens["client_id"];
  tokens = next;
  return tokens["access_token"];
}

}  // namespace

TEST_CASE("Schwab: the status tool shows when the sign-in ends; the last day, results warn",
          "[signin][expiry]") {
  SigninHarness h;
  Json tokens = h.connect("schwab", "alice");
  const std::string token = tokens["access_token"];

  Json fresh = status_of(h, token);
  CHECK(fresh["state"] == "signed in");
  REQUIRE(fresh["endsAt"].is_string());
  CHECK(fresh["ends"] == "in 7 days");
  CHECK(fresh["advice"].get<std::string>().find("every 7 days") != std::string::npos);
  CHECK(notes_of(h.call_tool(token, "broker_token")).empty());

  // 6 days and 20 hours later (the access token is refreshed on the way): 4 hours remain.
  h.broker.access_ttl = 30 * 24 * 3600;
  h.host.advance((6 * 24 + 20) * 3600 * 1000LL);
  std::string later = refreshed(h, tokens);
  Reply warned = h.call_tool(later, "broker_token");
  CHECK(SigninHarness::tool_result(warned).value("isError", false) == false);
  std::vector<std::string> notes = notes_of(warned);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("Note: Your Schwab sign-in on this server ends in 4 hours") == 0);
  CHECK(notes[0].find("Reconnect this server") != std::string::npos);
  Json late = status_of(h, later);
  CHECK(late["ends"] == "in 4 hours");
  CHECK(late["advice"].get<std::string>().find("ends in 4 hours") != std::string::npos);

  // Past the 7 days: sign in again.
  h.host.advance(5 * 3600 * 1000LL);
  Json ended = status_of(h, refreshed(h, tokens));
  CHECK(ended["state"] == "sign in again");
}

TEST_CASE("tastytrade: the sign-in does not end by itself, and no result warns",
          "[signin][expiry]") {
  SigninHarness h;
  Json tokens = h.connect("tastytrade", "bob");
  const std::string token = tokens["access_token"];
  Json s = status_of(h, token);
  CHECK(s["state"] == "signed in");
  CHECK(s["endsAt"].is_null());
  CHECK(s["ends"] == "does not end by itself");
  h.host.advance(20LL * 24 * 3600 * 1000);
  Reply later = h.call_tool(refreshed(h, tokens), "broker_token");
  CHECK(SigninHarness::tool_result(later).value("isError", false) == false);
  CHECK(notes_of(later).empty());
}
