// The broker tokens behind the tools: refreshed ahead of expiry, exactly once however many
// calls need them at the same moment, and a refusal by the broker turns into "sign in
// again" — for the tool, and for the MCP client (401 invalid_token).
#include "signin_harness.hpp"

#include "signin/broker_token_store.hpp"

#include <set>

using namespace bmcp;
using namespace bmcp::testing;

namespace {

Task<Json> token_json(Io& io, const brokers::BrokerAccess& access, std::string user, std::string provider) {
  brokers::AccessToken t = co_await access.access_token(io, user, provider);
  co_return Json{{"status", static_cast<int>(t.status)}, {"token", t.token}, {"message", t.message}};
}

signin::BrokerTokenStore make_store() {
  auto parsed = app::parse_config(signin_env());
  return signin::BrokerTokenStore(std::get<app::Config>(parsed).signin);
}

constexpr int kOk = static_cast<int>(brokers::AccessToken::Status::Ok);
constexpr int kReauth = static_cast<int>(brokers::AccessToken::Status::ReauthRequired);
constexpr int kUnavailable = static_cast<int>(brokers::AccessToken::Status::Unavailable);
constexpr int kNotSignedIn = static_cast<int>(brokers::AccessToken::Status::NotSignedIn);

}  // namespace

TEST_CASE("50 concurrent calls with an expired broker token cause exactly one refresh", "[signin][broker-tokens]") {
  SigninHarness h;
  Json tokens = h.connect("schwab", "alice");
  signin::BrokerTokenStore store = make_store();
  const signin::BrokerTokenStore* s = &store;
  h.host.advance(31 * 60 * 1000);  // Schwab access tokens live 30 minutes
  const int refreshes = h.broker.refreshes;

  SECTION("through the token store directly") {
    std::vector<FakeHost::CallId> calls;
    for (int i = 0; i < 50; ++i)
      calls.push_back(h.host.start([s](Io& io) { return token_json(io, *s, "schwab:CUST-alice", "schwab"); }));
    h.host.pump();
    std::set<std::string> seen;
    for (auto id : calls) {
      REQUIRE(h.host.done(id));
      CHECK(h.host.result(id)["status"] == kOk);
      seen.insert(h.host.result(id)["token"].get<std::string>());
    }
    CHECK(h.broker.refreshes == refreshes + 1);
    REQUIRE(seen.size() == 1);  // everyone got the new token, nobody a half-written one
    CHECK(h.broker.access.count(*seen.begin()) == 1);
    auto row = h.host.sql("SELECT version, refresh_lease_until FROM user_oauth_tokens");
    CHECK(row[0]["version"] == 2);
    CHECK(row[0]["refresh_lease_until"].is_null());
  }
  SECTION("as 50 parallel tool calls through the Worker") {
    std::string access = tokens["access_token"];
    Json msg = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/call"},
                {"params", {{"name", "broker_token"}, {"arguments", Json::object()},
                            {"_meta", {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"}}}}}};
    Json headers = Json::array({Json::array({"Content-Type", "application/json"}),
                                Json::array({"Accept", "application/json, text/event-stream"}),
                                Json::array({"MCP-Protocol-Version", "2026-07-28"}),
                                Json::array({"Mcp-Method", "tools/call"}),
                                Json::array({"Authorization", "Bearer " + access})});
    Json event = {{"type", "fetch"},
                  {"request", {{"method", "POST"}, {"url", std::string(kOrigin) + "/mcp"}, {"headers", headers},
                               {"body", dump_json(msg)}}}};
    const app::App* a = h.app.get();
    std::vector<FakeHost::CallId> calls;
    for (int i = 0; i < 50; ++i) calls.push_back(h.host.start([a, event](Io& io) { return a->handle(io, event); }));
    h.host.pump();
    std::set<std::string> seen;
    for (auto id : calls) {
      REQUIRE(h.host.done(id));
      Json body = parse_json(h.host.result(id)["body"].get<std::string>()).value_or(Json());
      CHECK(body["result"].value("isError", false) == false);
      seen.insert(body["result"]["content"][0]["text"].get<std::string>());
    }
    CHECK(h.broker.refreshes == refreshes + 1);
    CHECK(seen.size() == 1);
  }
}

TEST_CASE("refresh happens ahead of expiry and survives a slow broker", "[signin][broker-tokens]") {
  SigninHarness h;
  h.connect("schwab", "alice");
  signin::BrokerTokenStore store = make_store();
  const signin::BrokerTokenStore* s = &store;
  auto get = [&]() { return h.host.run([s](Io& io) { return token_json(io, *s, "schwab:CUST-alice", "schwab"); }); };
  std::string first = get()["token"];
  CHECK(h.broker.refreshes == 0);

  SECTION("more than 5 minutes left: no refresh") {
    h.host.advance(24 * 60 * 1000);
    CHECK(get()["token"] == first);
    CHECK(h.broker.refreshes == 0);
  }
  SECTION("less than 5 minutes left: refreshed before it expires") {
    h.host.advance(26 * 60 * 1000);
    Json t = get();
    CHECK(t["token"] != first);
    CHECK(h.broker.refreshes == 1);
    CHECK(get()["token"] == t["token"]);  // and stored: no second refresh
    CHECK(h.broker.refreshes == 1);
  }
  SECTION("the broker is down: the still-valid token is used, then a clear error") {
    h.broker.fail_refresh_with = 503;
    h.host.advance(26 * 60 * 1000);
    Json t = get();
    CHECK(t["status"] == kOk);
    CHECK(t["token"] == first);
    h.host.advance(5 * 60 * 1000);
    Json expired = get();
    CHECK(expired["status"] == kUnavailable);
    CHECK(expired["message"].get<std::string>().find("Try again") != std::string::npos);
    h.broker.fail_refresh_with = 0;
    CHECK(get()["status"] == kOk);  // the lease was released
  }
  SECTION("a token the broker rejected is not handed out again") {
    h.host.run([s, first](Io& io) -> Task<Json> {
      co_await s->invalidate(io, "schwab:CUST-alice", "schwab", first);
      co_return Json();
    });
    Json t = get();
    CHECK(t["token"] != first);
    CHECK(h.broker.refreshes == 1);
    // Invalidating a token that was already replaced changes nothing.
    h.host.run([s, first](Io& io) -> Task<Json> {
      co_await s->invalidate(io, "schwab:CUST-alice", "schwab", first);
      co_return Json();
    });
    CHECK(get()["token"] == t["token"]);
  }
  SECTION("nobody signed in") {
    Json t = h.host.run([s](Io& io) { return token_json(io, *s, "schwab:nobody", "schwab"); });
    CHECK(t["status"] == kNotSignedIn);
  }
}

TEST_CASE("a refused refresh token means: sign in again", "[signin][broker-tokens]") {
  SigninHarness h;
  Json tokens = h.connect("schwab", "alice");
  std::string access = tokens["access_token"];
  h.broker.refuse_refresh = true;
  h.host.advance(31 * 60 * 1000);

  Reply tool = h.call_tool(access, "broker_token");
  REQUIRE(tool.status == 200);
  Json result = SigninHarness::tool_result(tool);
  CHECK(result["isError"] == true);
  std::string text = result["content"][0]["text"];
  CHECK(text.find("Charles Schwab sign-in has expired") != std::string::npos);
  CHECK(text.find("sign in") != std::string::npos);
  CHECK(text.find("rt-") == std::string::npos);  // no token in the message

  // The next MCP request tells the client to run the sign-in again.
  Reply next = h.call_tool(access, "whoami");
  CHECK(next.status == 401);
  CHECK(next.header("WWW-Authenticate").find("error=\"invalid_token\"") != std::string::npos);
  CHECK(next.header("WWW-Authenticate").find("sign in again") != std::string::npos);
  // Refreshing our tokens does not help: the client must sign in.
  Reply refreshed = h.post_form("/token", {{"grant_type", "refresh_token"},
                                           {"refresh_token", tokens["refresh_token"].get<std::string>()},
                                           {"client_id", tokens["client_id"].get<std::string>()}});
  CHECK(refreshed.json()["error"] == "invalid_grant");
  CHECK(h.broker.refreshes == 1);

  // Signing in again repairs it.
  h.broker.refuse_refresh = false;
  Json again = h.connect("schwab", "alice");
  Reply ok = h.call_tool(again["access_token"], "broker_token");
  CHECK(SigninHarness::tool_result(ok).value("isError", false) == false);
}

TEST_CASE("tastytrade: refresh keeps the refresh token the broker did not rotate", "[signin][broker-tokens]") {
  SigninHarness h;
  h.broker.access_ttl = 900;  // tastytrade: 15-minute access tokens
  Json tokens = h.connect("tastytrade", "alice");
  h.host.advance(16 * 60 * 1000);
  std::string access = tokens["access_token"];
  Reply first = h.call_tool(access, "broker_token");
  CHECK(SigninHarness::tool_result(first).value("isError", false) == false);
  h.host.advance(16 * 60 * 1000);
  Reply second = h.call_tool(access, "broker_token");
  CHECK(SigninHarness::tool_result(second).value("isError", false) == false);
  CHECK(h.broker.refreshes == 2);
}

TEST_CASE("a tastytrade sign-in that starts at tastytrade answers with a session token", "[signin][callback]") {
  Json env = signin_env();
  env["TASTYTRADE_DIRECT_SIGN_IN"] = "1";  // off unless configured (direct_sign_in_test.cpp)
  SigninHarness h(env);
  std::string code = h.broker.direct_code("carol", std::string(kOrigin) + "/oauth/callback");
  Reply r = h.fetch("GET", std::string(kOrigin) + "/oauth/callback?code=" + code);
  REQUIRE(r.status == 200);
  CHECK(r.header("Cache-Control") == "no-store");
  std::string token = r.json()["token"];
  Json who = SigninHarness::tool_result(h.call_tool(token, "whoami"))["structuredContent"];
  CHECK(who["user"] == "tastytrade:U-carol");
  CHECK(who["email"] == "carol@example.com");
  SECTION("it lasts 24 hours") {
    h.host.advance(23 * 3600 * 1000);
    CHECK(h.call_tool(token, "whoami").status == 200);
    h.host.advance(2 * 3600 * 1000);
    CHECK(h.call_tool(token, "whoami").status == 401);
  }
  SECTION("a used or unknown code is refused and stores nothing new") {
    std::string before = h.snapshot();
    Reply again = h.fetch("GET", std::string(kOrigin) + "/oauth/callback?code=" + code);
    CHECK(again.status == 400);
    CHECK(again.json()["error"] == "access_denied");
    CHECK(h.snapshot() == before);
  }
  SECTION("Schwab's callback never accepts a sign-in without our state") {
    CHECK(h.fetch("GET", std::string(kOrigin) + "/callback?code=" + code).status == 400);
  }
}
