// The person chooses on the consent page: read-only, or read and trade. The grant is what
// they chose (not what the client asked), a remembered approval never grants more, the
// token endpoint never widens it, and the MCP server shows and runs only what it covers.
#include "signin_harness.hpp"

#include "oauth/approval_cookie.hpp"

using namespace bmcp;
using namespace bmcp::testing;

namespace {

const std::vector<std::string> kReadTools = {"status", "whoami", "broker_token"};
const std::vector<std::string> kAllTools = {"status", "whoami", "broker_token", "trade"};

std::string scope_seen_by_tools(SigninHarness& h, const std::string& access) {
  Reply r = h.call_tool(access, "whoami");
  REQUIRE(r.status == 200);
  return r.json()["result"]["structuredContent"]["scope"];
}

}  // namespace

TEST_CASE("the consent page offers trading as a checkbox, ticked only when the client asked for it",
          "[signin][scopes]") {
  SigninHarness h;
  Json client = h.register_client();
  std::string id = client["client_id"];
  auto page_for = [&](const std::string& scope) {
    std::vector<oauth::FormParameter> extra;
    if (!scope.empty()) extra.push_back({"scope", scope});
    Reply page = h.fetch("GET", h.authorize_url(id, SigninHarness::verifier(), extra));
    REQUIRE(page.status == 200);
    return page.body;
  };
  std::string read_only = page_for("brokerage:read");
  CHECK(read_only.find("id=\"allow-trading\"") != std::string::npos);
  CHECK_FALSE(checkbox_checked(read_only, "trade"));
  CHECK(read_only.find("Only if you allow trading below") != std::string::npos);
  std::string both = page_for("brokerage:read brokerage:trade");
  CHECK(checkbox_checked(both, "trade"));
  CHECK(checkbox_checked(page_for(""), "trade"));  // no scope asked: everything
  CHECK(checkbox_checked(page_for("brokerage:trade"), "trade"));

  Json env = signin_env();
  env["TRADING_MODE"] = "disabled";
  SigninHarness off(env);
  Json c2 = off.register_client();
  Reply p2 = off.fetch("GET", off.authorize_url(c2["client_id"], SigninHarness::verifier()));
  CHECK(p2.body.find("id=\"allow-trading\"") == std::string::npos);
  CHECK(p2.body.find("Trading is turned off") != std::string::npos);
}

TEST_CASE("the grant is what the person chose", "[signin][scopes]") {
  SigninHarness h;
  SECTION("the client asks for everything, the person leaves trading ticked") {
    Json t = h.connect("schwab", "alice");
    CHECK(t["scope"] == "brokerage:read brokerage:trade");
    CHECK(scope_seen_by_tools(h, t["access_token"]) == "brokerage:read brokerage:trade");
    CHECK(h.list_tools(t["access_token"]) == kAllTools);
    Reply traded = h.call_tool(t["access_token"], "trade");
    CHECK(traded.json()["result"]["content"][0]["text"] == "traded");
  }
  SECTION("the client asks for everything, the person unticks trading: read-only") {
    Json t = h.connect("schwab", "alice", false);
    CHECK(t["scope"] == "brokerage:read");
    std::string access = t["access_token"];
    CHECK(scope_seen_by_tools(h, access) == "brokerage:read");
    CHECK(h.list_tools(access) == kReadTools);
    Reply forged = h.call_tool(access, "trade");
    REQUIRE(forged.status == 200);
    CHECK(forged.json()["result"]["isError"] == true);
    CHECK_THAT(forged.json()["result"]["content"][0]["text"].get<std::string>(),
               Catch::StartsWith("insufficient_scope"));
  }
  SECTION("the client asks for read only: read-only unless the person ticks trading") {
    Json t = h.connect("tastytrade", "alice", std::nullopt, {{"scope", "brokerage:read"}});
    CHECK(t["scope"] == "brokerage:read");
    Json ticked = h.connect("tastytrade", "alice", true, {{"scope", "brokerage:read"}});
    CHECK(ticked["scope"] == "brokerage:read brokerage:trade");
  }
  SECTION("a forged trade=yes does not give trading when the page did not offer it") {
    Json env = signin_env();
    env["TRADING_MODE"] = "disabled";
    SigninHarness off(env);
    Json t = off.connect("schwab", "alice", true);
    CHECK(t["scope"] == "brokerage:read");
  }
  SECTION("a client registered for read only is not offered trading") {
    Json client =
        h.register_client({{"client_name", "Reader"},
                           {"redirect_uris", Json::array({kClientRedirect})},
                           {"grant_types", Json::array({"authorization_code", "refresh_token"})},
                           {"token_endpoint_auth_method", "none"},
                           {"scope", "brokerage:read"}});
    std::string id = client["client_id"];
    Reply page = h.fetch("GET", h.authorize_url(id, SigninHarness::verifier()));
    CHECK(page.body.find("id=\"allow-trading\"") == std::string::npos);
    std::string back = h.sign_in(id, SigninHarness::verifier(), "schwab", "alice", true);
    Json t = h.exchange(id, query_of(back)["code"], SigninHarness::verifier());
    CHECK(t["scope"] == "brokerage:read");
  }
}

TEST_CASE("refresh keeps a read-only grant read-only", "[signin][scopes]") {
  SigninHarness h;
  Json t = h.connect("schwab", "alice", false);
  REQUIRE(t["scope"] == "brokerage:read");
  std::string id = t["client_id"];
  Reply wider = h.post_form("/token", {{"grant_type", "refresh_token"},
                                       {"refresh_token", t["refresh_token"]},
                                       {"client_id", id},
                                       {"scope", "brokerage:read brokerage:trade"}});
  CHECK(wider.status == 400);
  CHECK(wider.json()["error"] == "invalid_scope");
  Reply same = h.post_form(
      "/token",
      {{"grant_type", "refresh_token"}, {"refresh_token", t["refresh_token"]}, {"client_id", id}});
  REQUIRE(same.status == 200);
  CHECK(same.json()["scope"] == "brokerage:read");
  CHECK(h.list_tools(same.json()["access_token"]) == kReadTools);
}

TEST_CASE("a remembered approval grants no more than the person chose", "[signin][scopes]") {
  SigninHarness h;
  Json client = h.register_client();
  std::string id = client["client_id"];
  std::string first = h.sign_in(id, SigninHarness::verifier(), "schwab", "alice", false);
  Json t1 = h.exchange(id, query_of(first)["code"], SigninHarness::verifier());
  CHECK(t1["scope"] == "brokerage:read");
  REQUIRE(h.cookies.count(std::string(oauth::kApprovalCookieName)) == 1);

  // The client asks for everything again; the page is skipped, and the grant stays read-only.
  Reply skipped = h.fetch("GET", h.authorize_url(id, SigninHarness::verifier('w')), {}, "", true);
  REQUIRE(skipped.status == 302);
  std::string second = h.sign_in(id, SigninHarness::verifier('w'), "schwab", "alice");
  Json t2 = h.exchange(id, query_of(second)["code"], SigninHarness::verifier('w'));
  CHECK(t2["scope"] == "brokerage:read");
  CHECK(h.list_tools(t2["access_token"]) == kReadTools);
}
