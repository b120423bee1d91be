// The broker tokens behind the tools: refreshed ahead of expiry, exactly once however many
// calls need them at the same moment, and a refusal by the broker turns into "sign in
// again" — for the tool, and for the MCP client (401 invalid_token).
#include "signin_harness.hpp"

#include "signin/broker_token_record.hpp"
#include "signin/broker_token_store.hpp"

#include <set>

using namespace bmcp;
using namespace bmcp::testing;

namespace {

Task<Json> token_json(Io& io, const brokers::BrokerAccess& access, std::string user,
                      std::string provider) {
  brokers::AccessToken t = co_await access.access_token(io, user, provider);
  co_return Json{
      {"status", static_cast<int>(t.status)}, {"token", t.token}, {"message", t.message}};
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

TEST_CASE("50 concurrent calls with an expired broker token cause exactly one refresh",
          "[signin][broker-tokens]") {
  SigninHarness h;
  Json tokens = h.connect("schwab", "alice");
  signin::BrokerTokenStore store = make_store();
  const signin::BrokerTokenStore* s = &store;
  h.host.advance(31 * 60 * 1000);  // Schwab access tokens live 30 minutes
  const int refreshes = h.broker.refreshes;

  SECTION("through the token store directly") {
    std::vector<FakeHost::CallId> calls;
    for (int i = 0; i < 50; ++i)
      calls.push_back(
          h.host.start([s](Io& io) { return token_json(io, *s, "schwab:CUST-alice", "schwab"); }));
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
    Json msg = {{"jsonrpc", "2.0"},
                {"id", 1},
                {"method", "tools/call"},
                {"params",
                 {{"name", "broker_token"},
                  {"arguments", Json::object()},
                  {"_meta",
                   {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                    {"io.modelcontextprotocol/clientCapabilities", Json::object()}}}}}};
    Json headers = Json::array({Json::array({"Content-Type", "application/json"}),
                                Json::array({"Accept", "application/json, text/event-stream"}),
                                Json::array({"MCP-Protocol-Version", "2026-07-28"}),
                                Json::array({"Mcp-Method", "tools/call"}),
                                Json::array({"Mcp-Name", "broker_token"}),
                                Json::array({"Authorization", "Bearer " + access})});
    Json event = {{"type", "fetch"},
                  {"request",
                   {{"method", "POST"},
                    {"url", std::string(kOrigin) + "/mcp"},
                    {"headers", headers},
                    {"body", dump_json(msg)}}}};
    const app::App* a = h.app.get();
    std::vector<FakeHost::CallId> calls;
    for (int i = 0; i < 50; ++i)
      calls.push_back(h.host.start([a, event](Io& io) { return a->handle(io, event); }));
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
  auto get = [&]() {
    return h.host.run([s](Io& io) { return token_json(io, *s, "schwab:CUST-alice", "schwab"); });
  };
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

TEST_CASE("a usable token is remembered in the isolate for seconds, never past its refresh point",
          "[signin][broker-tokens][token-cache]") {
  SigninHarness h;
  h.connect("schwab", "alice");
  signin::BrokerTokenStore store = make_store();
  const signin::BrokerTokenStore* s = &store;
  auto get = [&h, s] {
    return h.host.run([s](Io& io) { return token_json(io, *s, "schwab:CUST-alice", "schwab"); });
  };
  // Makes the stored row unreadable: only a call that reads D1 notices.
  auto spoil_row = [&h] { h.host.sql("UPDATE user_oauth_tokens SET sealed_tokens = 'spoiled'"); };

  SECTION("within kTtlMs the token comes from memory, after it from D1") {
    Json first = get();
    REQUIRE(first["status"] == kOk);
    spoil_row();
    CHECK(get()["token"] == first["token"]);
    h.host.advance(signin::BrokerTokenCache::kTtlMs);
    CHECK(get()["status"] == kReauth);
  }
  SECTION("a token due for refresh within the next seconds is remembered only until then") {
    h.host.advance(25 * 60 * 1000 - 3000);  // Schwab's 30-minute token is refreshed 5 minutes early
    Json first = get();
    REQUIRE(first["status"] == kOk);
    CHECK(h.broker.refreshes == 0);
    spoil_row();
    CHECK(get()["token"] == first["token"]);
    h.host.advance(3000);  // due now: the row is read again (and cannot be)
    CHECK(get()["status"] == kReauth);
  }
  SECTION(
      "a new sign-in replaced the remembered token: its 401 says a retry with the stored one is "
      "worth it") {
    Json first = get();
    REQUIRE(first["status"] == kOk);
    h.connect("schwab", "alice");             // signed in again (in another isolate, say)
    CHECK(get()["token"] == first["token"]);  // still remembered here
    std::string rejected = first["token"];
    Json replaced = h.host.run([s, rejected](Io& io) -> Task<Json> {
      const bool r = co_await s->invalidate(io, "schwab:CUST-alice", "schwab", rejected);
      co_return Json(r);
    });
    CHECK(replaced == true);
    Json now = get();
    CHECK(now["status"] == kOk);
    CHECK(now["token"] != first["token"]);
    // A 401 for the current token is not worth a retry: it is expired, and that is said.
    std::string current = now["token"];
    Json again = h.host.run([s, current](Io& io) -> Task<Json> {
      const bool r = co_await s->invalidate(io, "schwab:CUST-alice", "schwab", current);
      co_return Json(r);
    });
    CHECK(again == false);
  }
  SECTION("the status tool's sign-in health is read from the remembered token too") {
    auto health = [&h, s] {
      return h.host.run([s](Io& io) -> Task<Json> {
        brokers::SigninHealth hh = co_await s->signin_health(io, "schwab:CUST-alice", "schwab");
        co_return Json{{"state", static_cast<int>(hh.state)}};
      })["state"];
    };
    CHECK(health() ==
          static_cast<int>(brokers::SigninHealth::State::SignedIn));  // read from D1, remembered
    spoil_row();
    Json t = get();  // the token too comes from what signin_health remembered
    CHECK(t["status"] == kOk);
    h.host.sql("DELETE FROM user_oauth_tokens");
    CHECK(health() ==
          static_cast<int>(brokers::SigninHealth::State::SignedIn));  // seconds old, from memory
    h.host.advance(signin::BrokerTokenCache::kTtlMs);
    CHECK(health() == static_cast<int>(brokers::SigninHealth::State::NotSignedIn));
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
  Reply refreshed =
      h.post_form("/token", {{"grant_type", "refresh_token"},
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

TEST_CASE("tastytrade: refresh keeps the refresh token the broker did not rotate",
          "[signin][broker-tokens]") {
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

TEST_CASE("a tastytrade sign-in that starts at tastytrade answers with a session token",
          "[signin][callback]") {
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

// ---- the lease race: fresh tokens are never thrown away -------------------------------
// The broker rotates refresh tokens here (as Schwab and tastytrade may): once a refresh
// answered, the old refresh token is dead, so tokens the lease holder drops mean the
// person must sign in again. Each case ends by checking that the stored refresh token is
// the broker's newest and that the next refresh works with it.
namespace {

std::string stored_refresh_token(SigninHarness& h) {
  auto parsed = app::parse_config(signin_env());
  const std::string key = std::get<app::Config>(parsed).signin.token_key;
  auto rows =
      h.host.sql("SELECT sealed_tokens FROM user_oauth_tokens WHERE user_id = 'schwab:CUST-alice'");
  REQUIRE(rows.size() == 1);
  auto tokens = signin::open_broker_tokens(h.host.crypto, key, "schwab:CUST-alice", "schwab",
                                           rows[0]["sealed_tokens"].get<std::string>());
  REQUIRE(tokens);
  return tokens->refresh_token;
}

Task<Json> invalidate_json(Io& io, const signin::BrokerTokenStore& store, std::string token) {
  co_await store.invalidate(io, "schwab:CUST-alice", "schwab", token);
  co_return Json();
}

// Nothing lost: the row holds the broker's newest refresh token, no lease is left behind,
// and the next refresh (after the new access token expires) succeeds with it.
void check_nothing_lost(SigninHarness& h, const signin::BrokerTokenStore& store,
                        const std::string& fresh) {
  CHECK(stored_refresh_token(h) == h.broker.newest_refresh);
  auto lease = h.host.sql(
      "SELECT refresh_lease_until, refresh_lease_owner, invalid_reason FROM user_oauth_tokens");
  CHECK(lease[0]["refresh_lease_until"].is_null());
  CHECK(lease[0]["refresh_lease_owner"].is_null());
  CHECK(lease[0]["invalid_reason"].is_null());
  const signin::BrokerTokenStore* s = &store;
  auto get = [&]() {
    return h.host.run([s](Io& io) { return token_json(io, *s, "schwab:CUST-alice", "schwab"); });
  };
  Json again = get();
  CHECK(again["status"] == kOk);
  CHECK(again["token"] == fresh);  // the fresh token is the one in use
  const int refreshes = h.broker.refreshes;
  h.host.advance(31 * 60 * 1000);
  Json later = get();
  CHECK(later["status"] == kOk);
  CHECK(h.broker.refreshes == refreshes + 1);
  CHECK(stored_refresh_token(h) == h.broker.newest_refresh);
}

}  // namespace

TEST_CASE("the lease race: a refresh in progress always stores the fresh tokens",
          "[signin][broker-tokens][lease]") {
  SigninHarness h;
  h.connect("schwab", "alice");
  h.broker.rotate_refresh = true;
  signin::BrokerTokenStore store = make_store();
  const signin::BrokerTokenStore* s = &store;
  std::string old_access = h.host.run(
      [s](Io& io) { return token_json(io, *s, "schwab:CUST-alice", "schwab"); })["token"];

  SECTION("another call invalidates the token while the lease holder is refreshing") {
    h.host.advance(26 * 60 *
                   1000);  // due for refresh, not yet expired: invalidate bumps the version
    int invalidations = 0;
    h.broker.on_refresh = [&] {
      if (invalidations++) return;
      // The broker rejected the old access token for another call: it invalidates now,
      // while this refresh is at the broker (it bumps the row's version).
      h.host.run([s, old_access](Io& io) { return invalidate_json(io, *s, old_access); });
    };
    Json t = h.host.run([s](Io& io) { return token_json(io, *s, "schwab:CUST-alice", "schwab"); });
    CHECK(invalidations == 1);
    REQUIRE(t["status"] == kOk);
    CHECK(t["token"] != old_access);
    CHECK(h.broker.access.count(t["token"].get<std::string>()) == 1);
    CHECK(h.broker.refreshes == 1);
    h.broker.on_refresh = nullptr;
    check_nothing_lost(h, store, t["token"]);
  }

  SECTION("the first store of the refreshed tokens fails: it is retried and stored") {
    h.host.advance(31 * 60 * 1000);
    int store_failures = 0;
    h.host.fail_d1 = [&](const std::string& sql) {
      bool store =
          sql.find("SET sealed_tokens = ?1") != std::string::npos && sql.find("UPDATE") == 0;
      if (store && store_failures < 2) {
        ++store_failures;
        return true;
      }
      return false;
    };
    Json t = h.host.run([s](Io& io) { return token_json(io, *s, "schwab:CUST-alice", "schwab"); });
    CHECK(store_failures == 2);
    REQUIRE(t["status"] == kOk);
    CHECK(t["token"] != old_access);
    CHECK(h.broker.refreshes == 1);
    h.host.fail_d1 = nullptr;
    check_nothing_lost(h, store, t["token"]);
  }

  SECTION("the call is cancelled while refreshing: the refresh completes and is stored") {
    h.host.advance(31 * 60 * 1000);
    FakeHost::CallId id = 0;
    bool cancelled = true;
    h.broker.on_refresh = [&] {
      cancelled = h.host.cancel(id);
    };  // notifications/cancelled arrives now
    id = h.host.start([s](Io& io) { return token_json(io, *s, "schwab:CUST-alice", "schwab"); });
    h.host.pump();
    CHECK_FALSE(cancelled);  // refused: the call holds the lease
    REQUIRE(h.host.done(id));
    Json t = h.host.result(id);
    REQUIRE(t["status"] == kOk);
    CHECK(t["token"] != old_access);
    CHECK(h.broker.refreshes == 1);
    h.broker.on_refresh = nullptr;
    check_nothing_lost(h, store, t["token"]);
  }

  SECTION("a new sign-in while refreshing wins: its tokens stay, the refresh's are dropped") {
    h.host.advance(31 * 60 * 1000);
    h.broker.on_refresh = [&] {
      h.broker.on_refresh = nullptr;
      h.connect("schwab", "alice");
    };
    Json t = h.host.run([s](Io& io) { return token_json(io, *s, "schwab:CUST-alice", "schwab"); });
    REQUIRE(t["status"] == kOk);
    // The sign-in's tokens are the row's; the access token handed out is the sign-in's.
    std::string stored = stored_refresh_token(h);
    CHECK(h.broker.refresh.count(stored) == 1);
    CHECK(h.host.sql("SELECT refresh_lease_owner FROM user_oauth_tokens")[0]["refresh_lease_owner"]
              .is_null());
  }
}

TEST_CASE("a new sign-in through this isolate drops the broker tokens it remembered",
          "[signin][broker-tokens][token-cache]") {
  SigninHarness h;
  Json tokens = h.connect("schwab", "alice");
  auto broker_token = [&h](const std::string& access) {
    Json answer = h.call_tool(access, "broker_token").json();
    return answer["result"]["content"][0]["text"].get<std::string>();
  };
  const std::string first = broker_token(tokens["access_token"]);
  CHECK(broker_token(tokens["access_token"]) == first);  // remembered
  Json again = h.connect("schwab", "alice");  // signed in again: new broker tokens stored
  const std::string second = broker_token(again["access_token"]);
  CHECK(second != first);  // read from storage, not the token remembered before
  CHECK(h.broker.access.count(second) == 1);
}
