// Every way a request to the authorization server can be wrong gets the right OAuth or HTTP
// error — and changes nothing in D1.
#include "signin_harness.hpp"

#include "oauth/access_token.hpp"
#include "oauth/jwt.hpp"

using namespace bmcp;
using namespace bmcp::testing;

namespace {

const char* kJsonType = "application/json";

}  // namespace

TEST_CASE("registration refuses bad metadata and stores nothing", "[signin][register]") {
  SigninHarness h;
  const std::string url = std::string(kOrigin) + "/register";
  std::string before = h.snapshot();
  auto post = [&](const std::string& body, const char* type = kJsonType) {
    return h.fetch("POST", url, {{"Content-Type", type}}, body);
  };
  auto error_of = [](const Reply& r) { return r.json().value("error", std::string()); };

  SECTION("redirect URIs must be https or loopback http") {
    for (const char* uri :
         {"http://example.com/cb", "javascript:alert(1)", "https://example.com/cb#frag",
          "https://user@example.com/cb", "/relative", "https://example.com/cb?code=x",
          "file:///etc/passwd", "custom-app:/cb"}) {
      Reply r = post(dump_json({{"redirect_uris", Json::array({uri})}}));
      CHECK(r.status == 400);
      CHECK(error_of(r) == "invalid_redirect_uri");
    }
    CHECK(error_of(post(R"({"client_name":"x"})")) == "invalid_redirect_uri");
    CHECK(error_of(post(R"({"redirect_uris":[]})")) == "invalid_redirect_uri");
    CHECK(error_of(post(R"({"redirect_uris":"https://a.example/cb"})")) == "invalid_redirect_uri");
    CHECK(error_of(post(R"({"redirect_uris":[5]})")) == "invalid_redirect_uri");
  }
  SECTION("other metadata") {
    const std::string uris = R"("redirect_uris":["https://app.example/cb"])";
    for (const std::string& extra :
         {std::string(R"("token_endpoint_auth_method":"private_key_jwt")"),
          std::string(R"("grant_types":["implicit"])"),
          std::string(R"("grant_types":["refresh_token"])"), std::string(R"("grant_types":[])"),
          std::string(R"("response_types":["token"])"), std::string(R"("client_name":7)"),
          std::string(R"("client_name":")") + std::string(300, 'x') + "\"",
          std::string(R"("scope":"admin")"),
          std::string(R"("logo_uri":"http://evil.example/logo.png")"),
          std::string(R"("application_type":"desktop")")}) {
      Reply r = post("{" + uris + "," + extra + "}");
      CHECK(r.status == 400);
      CHECK(error_of(r) == "invalid_client_metadata");
    }
  }
  SECTION("malformed bodies") {
    for (const std::string& body :
         {std::string(""), std::string("{"), std::string("[]"), std::string("null"),
          std::string("\"x\""), std::string("{\"redirect_uris\":[\"https://a.example/cb\"]")}) {
      Reply r = post(body);
      CHECK(r.status == 400);
      CHECK(error_of(r).find("invalid_") == 0);
    }
    CHECK(error_of(post(R"({"redirect_uris":["https://a.example/cb"]})", "text/plain")) ==
          "invalid_client_metadata");
    CHECK(post(std::string(20000, ' ') + "{}").status == 400);
    CHECK(h.fetch("GET", url).status == 405);
  }
  CHECK(h.snapshot() == before);
}

TEST_CASE("registration answers 201 with the registered metadata", "[signin][register]") {
  SigninHarness h;
  SECTION("a public client gets no secret") {
    Json j = h.register_client();
    CHECK(j["client_id"].get<std::string>().size() >= 16);
    CHECK_FALSE(j.contains("client_secret"));
    CHECK(j["token_endpoint_auth_method"] == "none");
    CHECK(j["redirect_uris"] == Json::array({kClientRedirect}));
    CHECK(j["grant_types"] == Json::array({"authorization_code", "refresh_token"}));
  }
  SECTION("a confidential client gets a secret, stored only as a hash") {
    Json j = h.register_client({{"redirect_uris", Json::array({"https://app.example/cb"})},
                                {"token_endpoint_auth_method", "client_secret_basic"},
                                {"unknown_member", "ignored"}});
    std::string secret = j["client_secret"];
    CHECK(secret.size() == 43);
    CHECK(j["client_secret_expires_at"] == 0);
    CHECK_FALSE(j.contains("unknown_member"));
    CHECK(h.snapshot().find(secret) == std::string::npos);
  }
}

TEST_CASE("/authorize shows client and redirect problems on a page, never redirects them",
          "[signin][authorize]") {
  SigninHarness h;
  Json client = h.register_client();
  std::string id = client["client_id"];
  std::string v = SigninHarness::verifier();
  std::string before = h.snapshot();
  auto page_for = [&](const std::string& url) {
    Reply r = h.fetch("GET", url);
    CHECK(r.status >= 400);
    CHECK(r.header("Location").empty());
    CHECK(r.header("Content-Type") == "text/html; charset=utf-8");
    return r;
  };
  page_for(h.authorize_url("no-such-client", v));
  page_for(h.authorize_url(id, v, {{"client_id", "<omit>"}}));
  page_for(h.authorize_url(id, v, {{"redirect_uri", "http://127.0.0.1:9/other"}}));
  page_for(h.authorize_url(id, v, {{"redirect_uri", "https://evil.example/cb"}}));
  page_for(h.authorize_url(id, v, {{"redirect_uri", "<omit>"}}));
  page_for(h.authorize_url("https://client.example/metadata.json", v));
  page_for(std::string(kOrigin) + "/authorize?client_id=" + id + "&client_id=" + id);
  page_for(std::string(kOrigin) + "/authorize?client_id=%zz");
  page_for(std::string(kOrigin) + "/authorize?client_id=%C3%28");
  page_for(std::string(kOrigin) + "/authorize");
  CHECK(h.snapshot() == before);
}

TEST_CASE("/authorize shows an unapproved client's problems on a page and sends nothing to its URI",
          "[signin][authorize][open-redirect]") {
  // RFC 9700 §4.11.2: anyone can register a client with their own redirect URI; until the
  // person approved it, an error redirect there would make this server an open redirector.
  SigninHarness h;
  Json client =
      h.register_client({{"client_name", "Attacker"},
                         {"redirect_uris", Json::array({"https://attacker.example/landing"})},
                         {"token_endpoint_auth_method", "none"}});
  std::string id = client["client_id"];
  std::string v = SigninHarness::verifier();
  std::string before = h.snapshot();
  auto page_for = [&](std::vector<oauth::FormParameter> extra) {
    extra.push_back({"redirect_uri", "https://attacker.example/landing"});
    Reply r = h.fetch("GET", h.authorize_url(id, v, std::move(extra)), {}, "", true);
    CHECK(r.status == 400);
    CHECK(r.header("Location").empty());
    CHECK(r.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(r.body.find("https://attacker.example") ==
          std::string::npos);  // no link to follow either
    return r.body;
  };
  CHECK(page_for({{"response_type", "token"}}).find("unsupported_response_type") !=
        std::string::npos);
  page_for({{"response_type", "<omit>"}});
  page_for({{"code_challenge", "<omit>"}});
  page_for({{"code_challenge_method", "plain"}});
  page_for({{"scope", "admin"}});
  page_for({{"resource", "https://other.example/mcp"}});
  page_for({{"state", std::string(3000, 's')}});
  CHECK(h.snapshot() == before);
  // The same request made valid gets the consent page, which names where the answer goes.
  Reply consent = h.fetch(
      "GET", h.authorize_url(id, v, {{"redirect_uri", "https://attacker.example/landing"}}));
  CHECK(consent.status == 200);
  CHECK(consent.body.find("attacker.example") != std::string::npos);
}

TEST_CASE(
    "/authorize sends later problems back to a client this browser approved, with state and iss",
    "[signin][authorize]") {
  SigninHarness h;
  Json client = h.register_client();
  std::string id = client["client_id"];
  std::string v = SigninHarness::verifier();
  h.sign_in(id, v);  // the approval cookie now vouches for this client's redirect URI
  std::string before = h.snapshot();
  auto error_for = [&](std::vector<oauth::FormParameter> extra) {
    Reply r = h.fetch("GET", h.authorize_url(id, v, std::move(extra)), {}, "", true);
    REQUIRE(r.status == 302);
    std::string location = r.header("Location");
    CHECK(location.rfind(std::string(kClientRedirect) + "?", 0) == 0);
    auto q = query_of(location);
    CHECK(q["iss"] == kOrigin);
    CHECK(q.count("code") == 0);
    return q;
  };
  CHECK(error_for({{"response_type", "token"}})["error"] == "unsupported_response_type");
  CHECK(error_for({{"response_type", "<omit>"}})["error"] == "unsupported_response_type");
  CHECK(error_for({{"code_challenge", "<omit>"}})["error"] == "invalid_request");
  CHECK(error_for({{"code_challenge_method", "plain"}})["error"] == "invalid_request");
  CHECK(error_for({{"code_challenge_method", "<omit>"}})["error"] == "invalid_request");
  CHECK(error_for({{"code_challenge", "too-short"}})["error"] == "invalid_request");
  CHECK(error_for({{"scope", "admin"}})["error"] == "invalid_scope");
  CHECK(error_for({{"resource", "https://other.example/mcp"}})["error"] == "invalid_target");
  CHECK(error_for({{"resource", std::string(kOrigin) + "/elsewhere"}})["error"] ==
        "invalid_target");
  auto q = error_for({{"response_type", "token"}});
  CHECK(q["state"] == "client-state-123");
  // A repeated parameter after the client is known.
  Reply repeated = h.fetch(
      "GET", h.authorize_url(id, v) + "&scope=brokerage:read&scope=brokerage:trade", {}, "", true);
  CHECK(query_of(repeated.header("Location"))["error"] == "invalid_request");
  CHECK(h.snapshot() == before);
}

TEST_CASE("the consent form is bound to its page and its browser", "[signin][authorize]") {
  SigninHarness h;
  Json client = h.register_client();
  Reply page =
      h.fetch("GET", h.authorize_url(client["client_id"], SigninHarness::verifier()), {}, "", true);
  REQUIRE(page.status == 200);
  const std::string ticket = form_field(page.body, "ticket");
  const std::string csrf = form_field(page.body, "csrf_token");
  std::string before = h.snapshot();
  auto approve = [&](const std::string& t, const std::string& c, bool cookies,
                     const std::string& broker = "schwab") {
    return h.post_form(
        "/authorize", {{"ticket", t}, {"csrf_token", c}, {"broker", broker}, {"action", "approve"}},
        {}, cookies);
  };
  SECTION("without the consent cookie (a cross-site POST)") {
    CHECK(approve(ticket, csrf, false).status == 403);
  }
  SECTION("with a wrong CSRF token") {
    CHECK(approve(ticket, std::string(43, 'A'), true).status == 403);
  }
  SECTION("with a tampered ticket") {
    std::string t = ticket;
    t[t.size() - 5] = t[t.size() - 5] == 'A' ? 'B' : 'A';
    CHECK(approve(t, csrf, true).status == 400);
    CHECK(approve("garbage", csrf, true).status == 400);
    CHECK(approve("", csrf, true).status == 400);
  }
  SECTION("after the page expired") {
    h.host.advance(11 * 60 * 1000);
    CHECK(approve(ticket, csrf, true).status == 400);
  }
  SECTION("with a broker that is not offered") {
    CHECK(approve(ticket, csrf, true, "robinhood").status == 400);
  }
  SECTION("malformed form bodies") {
    std::vector<std::pair<std::string, std::string>> form = {
        {"Content-Type", "application/x-www-form-urlencoded"}};
    CHECK(h.fetch("POST", std::string(kOrigin) + "/authorize", form, "ticket=%zz", true).status ==
          400);
    CHECK(h.fetch("POST", std::string(kOrigin) + "/authorize", form, "ticket=a&ticket=b", true)
              .status == 400);
    CHECK(h.fetch("POST", std::string(kOrigin) + "/authorize",
                  {{"Content-Type", "application/json"}}, "{}", true)
              .status == 415);
  }
  SECTION("an unknown action") {
    CHECK(h.post_form("/authorize", {{"ticket", ticket}, {"csrf_token", csrf}, {"action", "maybe"}},
                      {}, true)
              .status == 400);
  }
  SECTION("a tampered approval cookie is ignored (the page is shown again)") {
    h.cookies["mcp-approved-clients"] = "v1.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    Reply again = h.fetch("GET", h.authorize_url(client["client_id"], SigninHarness::verifier()),
                          {}, "", true);
    CHECK(again.status == 200);
  }
  CHECK(h.snapshot() == before);
}

TEST_CASE("the broker callback verifies its state and its browser", "[signin][callback]") {
  SigninHarness h;
  Json client = h.register_client();
  Reply page =
      h.fetch("GET", h.authorize_url(client["client_id"], SigninHarness::verifier()), {}, "", true);
  Reply to_broker = h.post_form("/authorize",
                                {{"ticket", form_field(page.body, "ticket")},
                                 {"csrf_token", form_field(page.body, "csrf_token")},
                                 {"broker", "schwab"},
                                 {"action", "approve"}},
                                {}, true);
  REQUIRE(to_broker.status == 302);
  std::string location = to_broker.header("Location");
  CHECK(location.rfind("https://schwab.test/v1/oauth/authorize?", 0) == 0);
  auto q = query_of(location);
  CHECK(q["client_id"] == "schwab-client");
  CHECK(q["redirect_uri"] == std::string(kOrigin) + "/callback");
  CHECK(q["code_challenge_method"] == "S256");
  CHECK(q["code_challenge"].size() == 43);
  // The state is sealed: nothing of the pending request (nor our verifier) is readable.
  CHECK(q["state"].find("client-state-123") == std::string::npos);
  CHECK(q["state"].find(kClientRedirect) == std::string::npos);

  std::string callback = h.broker.login(location, "alice", "schwab");
  std::string before = h.snapshot();
  auto callback_with = [&](const std::string& state) {
    std::string code = query_of(callback)["code"];
    return std::string(kOrigin) + "/callback?" +
           oauth::form_urlencode({{"code", code}, {"state", state}});
  };
  SECTION("a tampered state") {
    std::string s = q["state"];
    s[s.size() / 2] = s[s.size() / 2] == 'A' ? 'B' : 'A';
    CHECK(h.fetch("GET", callback_with(s), {}, "", true).status == 400);
    CHECK(h.fetch("GET", callback_with("not-a-state"), {}, "", true).status == 400);
  }
  SECTION("an expired state") {
    h.host.advance(11 * 60 * 1000);
    Reply r = h.fetch("GET", callback, {}, "", true);
    CHECK(r.status == 400);
    CHECK(r.body.find("took too long") != std::string::npos);
  }
  SECTION("another browser (no login cookie)") {
    CHECK(h.fetch("GET", callback, {}, "", false).status == 403);
  }
  SECTION("the wrong callback for the broker") {
    std::string wrong = callback;
    wrong.replace(wrong.find("/callback"), 9, "/oauth/callback");
    CHECK(h.fetch("GET", wrong, {}, "", true).status == 400);
  }
  SECTION("malformed query strings") {
    CHECK(h.fetch("GET", std::string(kOrigin) + "/callback?state=%zz", {}, "", true).status == 400);
    CHECK(h.fetch("GET", std::string(kOrigin) + "/callback?state=a&state=b", {}, "", true).status ==
          400);
    CHECK(h.fetch("GET", std::string(kOrigin) + "/callback", {}, "", true).status == 400);
    CHECK(h.fetch("POST", std::string(kOrigin) + "/callback", {}, "", true).status == 405);
  }
  SECTION("the person cancelled at the broker") {
    std::string cancelled =
        std::string(kOrigin) + "/callback?" +
        oauth::form_urlencode({{"error", "access_denied"}, {"state", q["state"]}});
    Reply r = h.fetch("GET", cancelled, {}, "", true);
    REQUIRE(r.status == 302);
    auto back = query_of(r.header("Location"));
    CHECK(back["error"] == "access_denied");
    CHECK(back["state"] == "client-state-123");
  }
  SECTION("the broker refuses the code") {
    h.broker.codes.begin()->second.used = true;
    Reply r = h.fetch("GET", callback, {}, "", true);
    REQUIRE(r.status == 302);
    CHECK(query_of(r.header("Location"))["error"] == "access_denied");
  }
  SECTION("the broker is unreachable") {
    h.host.http = [](const Json&) {
      return Json{{"error", {{"code", "network"}, {"message", "down"}}}};
    };
    Reply r = h.fetch("GET", callback, {}, "", true);
    REQUIRE(r.status == 302);
    CHECK(query_of(r.header("Location"))["error"] == "temporarily_unavailable");
  }
  CHECK(h.snapshot() == before);
}

TEST_CASE("the token endpoint's code grant refuses every mismatch", "[signin][token]") {
  SigninHarness h;
  Json client = h.register_client();
  std::string id = client["client_id"];
  std::string v = SigninHarness::verifier();
  std::string back = h.sign_in(id, v);
  std::string code = query_of(back)["code"];
  REQUIRE(code.size() == 43);
  Json other = h.register_client();
  std::string before = h.snapshot();
  auto token = [&](std::vector<oauth::FormParameter> form,
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
    Reply r = h.post_form("/token", form, std::move(headers));
    CHECK(r.header("Cache-Control") == "no-store");
    return r;
  };
  auto base = [&]() {
    return std::vector<oauth::FormParameter>{{"grant_type", "authorization_code"},
                                             {"code", code},
                                             {"redirect_uri", kClientRedirect},
                                             {"code_verifier", v},
                                             {"client_id", id}};
  };
  auto with = [&](std::string name, std::string value) {
    auto f = base();
    for (auto& p : f)
      if (p.name == name) p.value = value;
    std::vector<oauth::FormParameter> kept;
    for (auto& p : f)
      if (p.value != "<omit>") kept.push_back(p);
    return kept;
  };
  auto error_of = [](const Reply& r) { return r.json().value("error", std::string()); };

  CHECK(error_of(token(with("code_verifier", SigninHarness::verifier('x')))) == "invalid_grant");
  CHECK(error_of(token(with("code_verifier", "<omit>"))) == "invalid_request");
  CHECK(error_of(token(with("redirect_uri", "http://127.0.0.1:9/other"))) == "invalid_grant");
  CHECK(error_of(token(with("redirect_uri", "<omit>"))) == "invalid_request");
  CHECK(error_of(token(with("code", std::string(43, 'A')))) == "invalid_grant");
  CHECK(error_of(token(with("code", "short"))) == "invalid_grant");
  CHECK(error_of(token(with("grant_type", "password"))) == "unsupported_grant_type");
  CHECK(error_of(token(with("grant_type", "<omit>"))) == "invalid_request");
  Reply unknown = token(with("client_id", "someone-else"));
  CHECK(unknown.status == 401);
  CHECK(error_of(unknown) == "invalid_client");
  CHECK(error_of(token(with("client_id", "<omit>"))) == "invalid_client");
  auto with_resource = base();
  with_resource.push_back({"resource", "https://other.example/mcp"});
  CHECK(error_of(token(with_resource)) == "invalid_target");
  // Another registered client cannot use this client's code.
  CHECK(error_of(token(with("client_id", other["client_id"]))) == "invalid_grant");
  // Malformed bodies.
  std::vector<std::pair<std::string, std::string>> form_type = {
      {"Content-Type", "application/x-www-form-urlencoded"}};
  for (const char* body :
       {"grant_type=authorization_code&code=%zz", "grant_type=%", "=x", "grant_type=a&grant_type=b",
        "grant_type=authorization_code&code=%FF%FE"}) {
    Reply r = h.fetch("POST", std::string(kOrigin) + "/token", form_type, body);
    CHECK(r.status == 400);
    CHECK(error_of(r) == "invalid_request");
  }
  CHECK(error_of(h.fetch("POST", std::string(kOrigin) + "/token",
                         {{"Content-Type", "application/json"}},
                         R"({"grant_type":"authorization_code"})")) == "invalid_request");
  CHECK(h.fetch("GET", std::string(kOrigin) + "/token").status == 405);
  Reply bad_basic = token(base(), {{"Authorization", "Basic !!!"}});
  CHECK(bad_basic.status == 401);
  CHECK(bad_basic.header("WWW-Authenticate").rfind("Basic", 0) == 0);
  // Nothing above used up the code or changed anything.
  CHECK(h.snapshot() == before);

  SECTION("an expired code") {
    h.host.advance(121 * 1000);
    CHECK(error_of(token(base())) == "invalid_grant");
    CHECK(h.snapshot() == before);
  }
  SECTION("the code works once; a replay revokes what it issued") {
    Reply first = token(base());
    REQUIRE(first.status == 200);
    std::string access = first.json()["access_token"];
    std::string refresh = first.json()["refresh_token"];
    CHECK(h.call_tool(access, "whoami").status == 200);
    Reply replay = token(base());
    CHECK(replay.status == 400);
    CHECK(error_of(replay) == "invalid_grant");
    CHECK(h.call_tool(access, "whoami").status == 401);
    CHECK(error_of(h.post_form("/token", {{"grant_type", "refresh_token"},
                                          {"refresh_token", refresh},
                                          {"client_id", id}})) == "invalid_grant");
  }
}

TEST_CASE("confidential clients authenticate with their secret", "[signin][token]") {
  SigninHarness h;
  Json client =
      h.register_client({{"redirect_uris", Json::array({kClientRedirect})},
                         {"grant_types", Json::array({"authorization_code", "refresh_token"})},
                         {"token_endpoint_auth_method", "client_secret_basic"}});
  std::string id = client["client_id"], secret = client["client_secret"];
  std::string v = SigninHarness::verifier();
  std::string code = query_of(h.sign_in(id, v))["code"];
  std::vector<oauth::FormParameter> form = {{"grant_type", "authorization_code"},
                                            {"code", code},
                                            {"redirect_uri", kClientRedirect},
                                            {"code_verifier", v}};
  std::string before = h.snapshot();
  auto basic = [](const std::string& user, const std::string& pass) {
    return std::vector<std::pair<std::string, std::string>>{
        {"Authorization", "Basic " + crypto::base64_encode(user + ":" + pass)}};
  };
  CHECK(h.post_form("/token", form).status == 401);                      // no secret at all
  CHECK(h.post_form("/token", form, basic(id, "wrong")).status == 401);  // wrong secret
  auto both = form;
  both.push_back({"client_secret", secret});
  CHECK(h.post_form("/token", both, basic(id, secret)).status == 400);  // two methods
  CHECK(h.snapshot() == before);
  SECTION("HTTP Basic") { CHECK(h.post_form("/token", form, basic(id, secret)).status == 200); }
  SECTION("client_secret_post") {
    auto post = form;
    post.push_back({"client_id", id});
    post.push_back({"client_secret", secret});
    CHECK(h.post_form("/token", post).status == 200);
  }
}

TEST_CASE("refresh tokens rotate; a reused one revokes the grant after a short grace",
          "[signin][token]") {
  SigninHarness h;
  Json tokens = h.connect();
  std::string id = tokens["client_id"];
  std::string r1 = tokens["refresh_token"];
  auto refresh = [&](const std::string& token) {
    return h.post_form(
        "/token", {{"grant_type", "refresh_token"}, {"refresh_token", token}, {"client_id", id}});
  };
  Reply second = refresh(r1);
  REQUIRE(second.status == 200);
  std::string r2 = second.json()["refresh_token"];

  SECTION("a retry with the previous token inside the grace window gets fresh tokens") {
    Reply retry = refresh(r1);
    REQUIRE(retry.status == 200);
    std::string r3 = retry.json()["refresh_token"];
    CHECK(refresh(r3).status == 200);
  }
  SECTION("the previous token after the grace window is theft: the grant ends") {
    h.host.advance(31 * 1000);
    std::string access = second.json()["access_token"];
    Reply reused = refresh(r1);
    CHECK(reused.status == 400);
    CHECK(reused.json()["error"] == "invalid_grant");
    CHECK(refresh(r2).json()["error"] == "invalid_grant");
    CHECK(h.call_tool(access, "whoami").status == 401);
  }
  SECTION("other clients, scopes and resources") {
    std::string before = h.snapshot();
    Json other = h.register_client();
    before = h.snapshot();
    CHECK(h.post_form("/token", {{"grant_type", "refresh_token"},
                                 {"refresh_token", r2},
                                 {"client_id", other["client_id"]}})
              .json()["error"] == "invalid_grant");
    CHECK(h.post_form("/token", {{"grant_type", "refresh_token"},
                                 {"refresh_token", r2},
                                 {"client_id", id},
                                 {"scope", "admin"}})
              .json()["error"] == "invalid_scope");
    CHECK(h.post_form("/token", {{"grant_type", "refresh_token"},
                                 {"refresh_token", r2},
                                 {"client_id", id},
                                 {"resource", "https://other.example/mcp"}})
              .json()["error"] == "invalid_target");
    CHECK(refresh(std::string(43, 'Z')).json()["error"] == "invalid_grant");
    CHECK(refresh("x").json()["error"] == "invalid_grant");
    CHECK(h.snapshot() == before);
    // A narrower scope is fine.
    Reply narrow = h.post_form("/token", {{"grant_type", "refresh_token"},
                                          {"refresh_token", r2},
                                          {"client_id", id},
                                          {"scope", "brokerage:read"}});
    REQUIRE(narrow.status == 200);
    CHECK(narrow.json()["scope"] == "brokerage:read");
  }
}

TEST_CASE("a refresh token family: a superseded token presented again revokes the whole grant",
          "[signin][token][refresh-family]") {
  SigninHarness h;
  Json tokens = h.connect();
  std::string id = tokens["client_id"];
  auto refresh = [&](const std::string& token) {
    return h.post_form(
        "/token", {{"grant_type", "refresh_token"}, {"refresh_token", token}, {"client_id", id}});
  };
  auto revoked = [&](const Reply& r) {
    CHECK(r.status == 400);
    CHECK(r.json()["error"] == "invalid_grant");
    return r.json().value("error_description", "").find("revoked") != std::string::npos;
  };
  std::string r1 = tokens["refresh_token"];
  Reply client_rotates = refresh(r1);  // the real client: R1 → R2
  REQUIRE(client_rotates.status == 200);
  std::string r2 = client_rotates.json()["refresh_token"];
  std::string client_access = client_rotates.json()["access_token"];

  SECTION("stolen R1 replayed inside the grace window: attacker's and client's tokens all end") {
    h.host.advance(5 * 1000);
    Reply attacker = refresh(r1);  // R1's one allowed retry: R3
    REQUIRE(attacker.status == 200);
    std::string r3 = attacker.json()["refresh_token"];
    std::string attacker_access = attacker.json()["access_token"];
    CHECK(h.call_tool(attacker_access, "whoami").status == 200);  // now in the grant cache
    CHECK(h.call_tool(client_access, "whoami").status == 200);
    // The real client's R2 was superseded by the attacker's retry: presenting it is reuse.
    CHECK(revoked(refresh(r2)));
    CHECK(h.host.sql("SELECT revoked_at FROM oauth_grants")[0]["revoked_at"].is_number());
    CHECK(revoked(refresh(r3)));
    CHECK(revoked(refresh(r1)));
    // The bearer check forgets the grant at once (no waiting for the cache to expire).
    CHECK(h.call_tool(attacker_access, "whoami").status == 401);
    CHECK(h.call_tool(client_access, "whoami").status == 401);
  }
  SECTION("the previous token gets exactly one retry") {
    Reply retry = refresh(r1);
    REQUIRE(retry.status == 200);
    std::string r3 = retry.json()["refresh_token"];
    CHECK(revoked(refresh(r1)));
    CHECK(revoked(refresh(r3)));
  }
  SECTION("a client that lost an answer retries once and carries on") {
    Reply retry = refresh(r1);  // R2 never arrived
    REQUIRE(retry.status == 200);
    std::string current = retry.json()["refresh_token"];
    std::string access = retry.json()["access_token"];
    for (int i = 0; i < 3; ++i) {
      h.host.advance(3600 * 1000);
      Reply next = refresh(current);
      REQUIRE(next.status == 200);
      current = next.json()["refresh_token"];
      access = next.json()["access_token"];
    }
    CHECK(h.call_tool(access, "whoami").status == 200);
    CHECK(h.host.sql("SELECT revoked_at FROM oauth_grants")[0]["revoked_at"].is_null());
  }
  SECTION("every superseded token stays known, however old the rotation") {
    Reply third = refresh(r2);
    REQUIRE(third.status == 200);
    h.host.advance(3600 * 1000);
    Reply fourth = refresh(third.json()["refresh_token"]);
    REQUIRE(fourth.status == 200);
    std::string r4 = fourth.json()["refresh_token"];
    h.host.advance(24 * 3600 * 1000);
    CHECK(revoked(refresh(r2)));  // neither current nor previous: known only to the family
    CHECK(revoked(refresh(r4)));
    CHECK(h.host.sql("SELECT count(*) AS n FROM oauth_refresh_tokens")[0]["n"] ==
          4);  // hashes only
    CHECK(h.host.sql("SELECT count(*) AS n FROM oauth_refresh_tokens WHERE token_hash = ?1",
                     Json::array({r2}))[0]["n"] == 0);
  }
  SECTION("/revoke with an older member of the family ends the grant (RFC 7009 §2.1)") {
    Reply third = refresh(r2);  // R1 is now neither current nor previous
    REQUIRE(third.status == 200);
    CHECK(h.post_form("/revoke", {{"token", r1}, {"client_id", id}}).status == 200);
    CHECK(h.call_tool(third.json()["access_token"], "whoami").status == 401);
  }
  SECTION("a token the server never issued is merely invalid") {
    CHECK_FALSE(revoked(refresh(std::string(43, 'Q'))));
    CHECK(refresh(r2).status == 200);
  }
  SECTION("another client presenting a family member changes nothing") {
    Json other = h.register_client();
    CHECK_FALSE(revoked(h.post_form("/token", {{"grant_type", "refresh_token"},
                                               {"refresh_token", r1},
                                               {"client_id", other["client_id"]}})));
    CHECK(refresh(r2).status == 200);
  }
}

TEST_CASE("revocation (RFC 7009)", "[signin][revoke]") {
  SigninHarness h;
  Json tokens = h.connect();
  std::string id = tokens["client_id"];
  std::string access = tokens["access_token"];
  SECTION("unknown or foreign tokens get 200 and change nothing") {
    std::string before = h.snapshot();
    CHECK(h.post_form("/revoke", {{"token", std::string(43, 'Q')}, {"client_id", id}}).status ==
          200);
    CHECK(h.post_form("/revoke", {{"token", "not.a.jwt"}, {"client_id", id}}).status == 200);
    Json other = h.register_client();
    before = h.snapshot();
    CHECK(h.post_form("/revoke",
                      {{"token", tokens["refresh_token"]}, {"client_id", other["client_id"]}})
              .status == 200);
    CHECK(h.snapshot() == before);
    CHECK(h.call_tool(access, "whoami").status == 200);
    CHECK(h.post_form("/revoke", {{"client_id", id}}).status == 400);
    CHECK(h.post_form("/revoke", {{"token", access}, {"client_id", "nobody"}}).status == 401);
  }
  SECTION("revoking the access token ends the grant") {
    CHECK(h.post_form("/revoke",
                      {{"token", access}, {"client_id", id}, {"token_type_hint", "access_token"}})
              .status == 200);
    CHECK(h.call_tool(access, "whoami").status == 401);
  }
}

TEST_CASE("MCP routes require a valid bearer token for this resource", "[signin][bearer]") {
  SigninHarness h;
  Json tokens = h.connect();
  std::string access = tokens["access_token"];
  OpenSslCrypto crypto;
  const std::string secret = signin_env()["JWT_SECRET"];
  auto claims = [&]() {
    oauth::AccessTokenClaims c;
    c.subject = "schwab:CUST-alice";
    c.issuer = kOrigin;
    c.audience = std::string(kOrigin) + "/mcp";
    c.client_id = tokens["client_id"];
    c.scope = "brokerage:read";
    c.grant_id = h.host.sql("SELECT id FROM oauth_grants")[0]["id"];
    c.token_id = "t1";
    c.issued_at = h.host.now_ms / 1000;
    c.expires_at = c.issued_at + 3600;
    return c;
  };
  auto status_with = [&](const std::string& token) { return h.call_tool(token, "whoami"); };
  auto invalid = [&](const Reply& r) {
    CHECK(r.status == 401);
    CHECK(r.header("WWW-Authenticate").find("error=\"invalid_token\"") != std::string::npos);
    CHECK(r.header("WWW-Authenticate").find("resource_metadata=\"") != std::string::npos);
  };
  std::string before = h.snapshot();

  REQUIRE(status_with(access).status == 200);
  REQUIRE(status_with(*oauth::issue_access_token(crypto, secret, claims())).status == 200);
  SECTION("wrong audience") {
    auto c = claims();
    c.audience = "https://other.example/mcp";
    invalid(status_with(*oauth::issue_access_token(crypto, secret, c)));
  }
  SECTION("wrong issuer") {
    auto c = claims();
    c.issuer = "https://evil.example";
    invalid(status_with(*oauth::issue_access_token(crypto, secret, c)));
  }
  SECTION("expired") {
    h.host.advance(3600 * 1000 + 31 * 1000);
    invalid(status_with(access));
  }
  SECTION("another signing key") {
    invalid(status_with(*oauth::issue_access_token(
        crypto, "another-secret-that-is-long-enough-0123456789", claims())));
  }
  SECTION("algorithms other than HS256") {
    Json c = oauth::access_token_claims_to_json(claims());
    for (const char* alg : {"none", "HS384", "HS512", "RS256", "hs256"}) {
      std::string header = crypto::base64url_encode(dump_json({{"alg", alg}, {"typ", "at+jwt"}}));
      std::string body = crypto::base64url_encode(dump_json(c));
      std::string sig = crypto::base64url_encode(crypto.hmac_sha256(secret, header + "." + body));
      invalid(status_with(header + "." + body + "." + sig));
      invalid(status_with(header + "." + body + "."));
    }
  }
  SECTION("not an access token (a plain JWT signed with the same key)") {
    Json c = oauth::access_token_claims_to_json(claims());
    invalid(status_with(*oauth::sign_jwt_hs256(crypto, secret, c, "JWT")));
  }
  SECTION("malformed tokens and headers") {
    for (const std::string& t :
         {std::string("x"), std::string("a.b.c"), std::string("...."), std::string(20000, 'a'),
          access + "x", access.substr(0, access.size() - 2)})
      invalid(status_with(t));
    Json ping = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}};
    for (const char* header :
         {"Bearer", "Bearer  ", "Basic abc", "Bearer a b", "bearer, x", "Token abc"}) {
      Reply r = h.fetch("POST", std::string(kOrigin) + "/mcp",
                        {{"Content-Type", "application/json"},
                         {"Accept", "application/json, text/event-stream"},
                         {"Authorization", header}},
                        dump_json(ping));
      invalid(r);
    }
  }
  SECTION("a token in the query string is refused") {
    Reply r = h.fetch(
        "POST", std::string(kOrigin) + "/mcp?access_token=" + access,
        {{"Content-Type", "application/json"}, {"Accept", "application/json, text/event-stream"}},
        "{}");
    CHECK(r.status == 400);
    CHECK(r.header("WWW-Authenticate").find("invalid_request") != std::string::npos);
  }
  SECTION("no token: a challenge without an error code, on every MCP route") {
    for (const char* path :
         {"/mcp", "/sse", "/sse/message?sessionId=0123456789abcdef0123456789abcdef"}) {
      Reply r = h.fetch(std::string(path) == "/sse" ? "GET" : "POST", std::string(kOrigin) + path);
      CHECK(r.status == 401);
      CHECK(r.header("WWW-Authenticate").find("error=") == std::string::npos);
    }
    CHECK(h.fetch("GET", std::string(kOrigin) + "/sse")
              .header("WWW-Authenticate")
              .find("oauth-protected-resource/sse") != std::string::npos);
  }
  SECTION("a session belongs to the user who opened it") {
    Json init = {{"jsonrpc", "2.0"},
                 {"id", 1},
                 {"method", "initialize"},
                 {"params",
                  {{"protocolVersion", "2025-11-25"},
                   {"capabilities", Json::object()},
                   {"clientInfo", {{"name", "t"}, {"version", "1"}}}}}};
    Reply opened = h.mcp(access, init);
    REQUIRE(opened.status == 200);
    std::string session = opened.header("Mcp-Session-Id");
    Json bob = h.connect("schwab", "bob");
    Reply stolen = h.mcp(bob["access_token"], {{"jsonrpc", "2.0"}, {"id", 2}, {"method", "ping"}},
                         "/mcp", {{"Mcp-Session-Id", session}});
    CHECK(stolen.status == 404);
    Reply own = h.mcp(access, {{"jsonrpc", "2.0"}, {"id", 2}, {"method", "ping"}}, "/mcp",
                      {{"Mcp-Session-Id", session}});
    CHECK(own.status == 200);
  }
  CHECK(h.snapshot().find("oauth_codes") != std::string::npos);
}
