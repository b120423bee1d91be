// Seeded random input at every sign-in endpoint: nothing crashes the module, nothing is
// answered with a server error, and nothing changes in D1.
#include "signin_harness.hpp"

#include <random>

using namespace bmcp;
using namespace bmcp::testing;

namespace {

std::string random_text(std::mt19937& rng, std::size_t max_length) {
  static const std::string pieces[] = {"%",
                                       "%2",
                                       "%zz",
                                       "%00",
                                       "%C3%28",
                                       "=",
                                       "&",
                                       "+",
                                       "{",
                                       "}",
                                       "[",
                                       "]",
                                       "\"",
                                       ":",
                                       ",",
                                       ";",
                                       " ",
                                       "\t",
                                       "\x01",
                                       "\xff",
                                       "\xc3\xa9",
                                       "code",
                                       "state",
                                       "client_id",
                                       "redirect_uri",
                                       "grant_type",
                                       "refresh_token",
                                       "token",
                                       "ticket",
                                       "csrf_token",
                                       "Bearer ",
                                       "Basic ",
                                       "a.b.c",
                                       "eyJhbGciOiJub25lIn0",
                                       "http://127.0.0.1:9/cb",
                                       "authorization_code",
                                       "S256",
                                       "null",
                                       "0",
                                       "-1"};
  std::uniform_int_distribution<std::size_t> count(0, max_length);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1);
  std::uniform_int_distribution<int> byte(0x20, 0x7e);
  std::string out;
  for (std::size_t i = 0, n = count(rng); i < n; ++i) {
    if (rng() % 3 == 0) out.push_back(static_cast<char>(byte(rng)));
    else out += pieces[pick(rng)];
  }
  return out;
}

}  // namespace

TEST_CASE("random input at every sign-in endpoint is refused cleanly", "[signin][hostile]") {
  SigninHarness h;
  Json tokens = h.connect();
  const std::string before = h.snapshot();
  std::mt19937 rng(20261121);
  const char* paths[] = {"/register",    "/authorize",
                         "/token",       "/revoke",
                         "/callback",    "/oauth/callback",
                         "/mcp",         "/sse",
                         "/sse/message", "/.well-known/oauth-authorization-server"};
  const char* types[] = {"application/x-www-form-urlencoded", "application/json", "text/plain", ""};
  const char* methods[] = {"GET", "POST", "PUT", "DELETE", "OPTIONS"};
  for (int i = 0; i < 600; ++i) {
    std::string path = paths[rng() % std::size(paths)];
    std::string method = methods[rng() % std::size(methods)];
    std::string url = std::string(kOrigin) + path;
    if (rng() % 2) url += "?" + random_text(rng, 12);
    std::vector<std::pair<std::string, std::string>> headers;
    if (std::string type = types[rng() % std::size(types)]; !type.empty())
      headers.emplace_back("Content-Type", type);
    if (rng() % 3 == 0) headers.emplace_back("Authorization", random_text(rng, 4));
    if (rng() % 3 == 0) headers.emplace_back("Cookie", random_text(rng, 6));
    if (rng() % 4 == 0) headers.emplace_back("Accept", "application/json, text/event-stream");
    Reply r = h.fetch(method, url, headers, random_text(rng, 24));
    INFO(method << " " << url);
    CHECK(r.status >= 200);
    CHECK(r.status < 500);
  }
  CHECK(h.snapshot() == before);
  // And the real sign-in still works.
  CHECK(h.call_tool(tokens["access_token"], "whoami").status == 200);
}
