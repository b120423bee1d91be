#include "support/unbounded_json.hpp"
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "base/json.hpp"
#include "privacy/account_display_map.hpp"
#include "privacy/field_names.hpp"
#include "privacy/log_redaction.hpp"
#include "privacy/secret_text_redaction.hpp"

using bmcp::Json;
using bmcp::privacy::AccountDisplayMap;
using bmcp::privacy::is_secret_field_name;
using bmcp::privacy::mask_account_shaped_tokens;
using bmcp::privacy::mask_long_digit_runs;
using bmcp::privacy::redact_for_log;
using bmcp::privacy::redact_secrets_in_text;
using bmcp::privacy::redact_text_for_log;

namespace {

const std::string kHash = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
const std::string kJwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjE3MDAwMDAwMDB9."
    "Qk1DUF9zaWduYXR1cmVfZmFrZV92YWx1ZQ";
const std::string kSchwabAccessToken = "I0.b2F1dGgyLmJkYy5zY2h3YWIuY29t.TlnBq1lCiEuZC-ah3WnDxyzQ@";

Json parse(const char* text) {
  auto json = bmcp::parse_json(text);
  REQUIRE(json.has_value());
  return *json;
}

bool dump_contains(const Json& value, std::string_view needle) {
  return bmcp::dump_json(value).find(needle) != std::string::npos;
}

Json nest(Json leaf, int depth) {
  for (int i = 0; i < depth; ++i) {
    Json wrapper;
    wrapper["level" + std::to_string(i)] = Json::array({std::move(leaf)});
    leaf = std::move(wrapper);
  }
  return leaf;
}

}  // namespace

TEST_CASE("secret field names in every spelling", "[privacy][redaction]") {
  for (const char* name : {"access_token",   "accessToken",
                           "AccessToken",    "access-token",
                           "ACCESS_TOKEN",   "refresh_token",
                           "refreshToken",   "id_token",
                           "idToken",        "token",
                           "Token",          "code",
                           "auth_code",      "code_verifier",
                           "codeVerifier",   "client_secret",
                           "clientSecret",   "secret",
                           "password",       "Authorization",
                           "authorization",  "Proxy-Authorization",
                           "cookie",         "Cookie",
                           "set-cookie",     "Set-Cookie",
                           "api_key",        "apiKey",
                           "x-api-key",      "jwt",
                           "state",          "session",
                           "session_id",     "sessionId",
                           "mcp-session-id", "Mcp-Session-Id",
                           "remember-token", "session-token",
                           "private_key",    "COOKIE_ENCRYPTION_KEY",
                           "credentials"}) {
    INFO(name);
    CHECK(is_secret_field_name(name));
  }
  for (const char* name :
       {"token_type", "tokenType", "token_endpoint", "authorization_endpoint", "expires_in",
        "statusCode", "status", "symbol", "accountNumber", "quantity", "message", "scope",
        "code_challenge", "code_challenge_method", "estate", "key", "keys", ""}) {
    INFO(name);
    CHECK_FALSE(is_secret_field_name(name));
  }
}

TEST_CASE("redact_for_log hides secret fields at any depth", "[privacy][redaction]") {
  SECTION("a token response") {
    Json raw = parse(R"({"expires_in":1800,"token_type":"Bearer","scope":"api",
      "refresh_token":"rt-fake-123","access_token":"I0.fake-456","id_token":"eyJ.fake"})");
    Json out = redact_for_log(raw, nullptr);
    CHECK(out == parse(R"({"expires_in":1800,"token_type":"Bearer","scope":"api",
      "refresh_token":"[REDACTED]","access_token":"[REDACTED]","id_token":"[REDACTED]"})"));
  }

  SECTION("every variant, deeply nested, of any type") {
    for (const char* name : {"accessToken", "client-secret", "CODE_VERIFIER", "Set-Cookie", "jwt",
                             "state", "password", "sessionId", "apiKey", "Authorization"}) {
      INFO(name);
      Json secret = {{name, {{"nested", "value"}}}, {"other", "kept"}};
      Json out = redact_for_log(nest(secret, 20), nullptr);
      CHECK_FALSE(dump_contains(out, "value"));
      CHECK(dump_contains(out, "kept"));
      CHECK(dump_contains(out, "[REDACTED]"));
    }
  }

  SECTION("numbers and arrays under secret names are redacted; null and booleans are kept") {
    Json out = redact_for_log(
        {{"pin", 1234}, {"tokens", {"a", "b"}}, {"token", nullptr}, {"password", false}}, nullptr);
    CHECK(out["pin"] == "[REDACTED]");
    CHECK(out["tokens"] == "[REDACTED]");
    CHECK(out["token"].is_null());
    CHECK(out["password"] == false);
  }

  SECTION("status codes under `code` stay, OAuth codes go") {
    Json out = redact_for_log({{"error", {{"code", -32600}, {"message", "Invalid Request"}}},
                               {"auth", {{"code", "TOKEN_EXPIRED"}}},
                               {"callback", {{"code", "C0.b2F1dGgyLmJkYy5zY2h3YWIuY29t%40"}}}},
                              nullptr);
    CHECK(out["error"]["code"] == -32600);
    CHECK(out["auth"] == "[REDACTED]");  // `auth` itself is a secret name
    CHECK(out["callback"]["code"] == "[REDACTED]");
    CHECK(redact_for_log({{"code", "TOKEN_EXPIRED"}}, nullptr)["code"] == "TOKEN_EXPIRED");
    CHECK(redact_for_log({{"code", "A12345678"}}, nullptr)["code"] == "[REDACTED]");
    CHECK(redact_for_log({{"code", "12345678"}}, nullptr)["code"] == "[REDACTED]");
  }

  SECTION("headers as entry pairs and as name/value objects") {
    Json out =
        redact_for_log({{"headers", Json::array({Json::array({"Authorization", "Bearer abc"}),
                                                 Json::array({"Accept", "application/json"})})},
                        {"har", Json::array({Json{{"name", "Cookie"}, {"value", "sid=1"}},
                                             Json{{"name", "Host"}, {"value", "x"}}})}},
                       nullptr);
    CHECK(out["headers"][0] == Json::array({"Authorization", "[REDACTED]"}));
    CHECK(out["headers"][1] == Json::array({"Accept", "application/json"}));
    CHECK(out["har"][0]["value"] == "[REDACTED]");
    CHECK(out["har"][1]["value"] == "x");
  }

  SECTION("an object header map") {
    Json out = redact_for_log({{"request",
                                {{"headers",
                                  {{"authorization", "Basic YXBwOnNlY3JldA=="},
                                   {"cookie", "a=1; b=2"},
                                   {"content-type", "application/json"}}}}}},
                              nullptr);
    CHECK(out["request"]["headers"]["authorization"] == "[REDACTED]");
    CHECK(out["request"]["headers"]["cookie"] == "[REDACTED]");
    CHECK(out["request"]["headers"]["content-type"] == "application/json");
  }
}

TEST_CASE("secrets inside free text", "[privacy][redaction]") {
  SECTION("Bearer and Basic credentials") {
    CHECK(redact_secrets_in_text("sent Bearer " + kSchwabAccessToken + " to api") ==
          "sent Bearer [REDACTED] to api");
    CHECK(redact_secrets_in_text("bearer abc.def-ghi") == "bearer [REDACTED]");
    CHECK(redact_secrets_in_text("Basic YXBwS2V5OmFwcFNlY3JldA==") == "Basic [REDACTED]");
    CHECK(redact_secrets_in_text("Basic account information") == "Basic account information");
    CHECK(redact_secrets_in_text(
              R"(WWW-Authenticate: Bearer resource_metadata="https://x/.well-known")") ==
          R"(WWW-Authenticate: Bearer resource_metadata="https://x/.well-known")");
  }

  SECTION("Authorization and Cookie headers run to the end of the line") {
    CHECK(redact_secrets_in_text("Authorization: Bearer abc def\nAccept: */*") ==
          "Authorization: [REDACTED]\nAccept: */*");
    CHECK(redact_secrets_in_text("Cookie: a=1; session=2\r\nHost: x") ==
          "Cookie: [REDACTED]\r\nHost: x");
    CHECK(redact_secrets_in_text("set-cookie: __Host-c=xyz; Path=/; Secure") ==
          "set-cookie: [REDACTED]");
  }

  SECTION("query strings and form bodies") {
    CHECK(redact_secrets_in_text(
              "grant_type=refresh_token&refresh_token=rt-fake-123&redirect_uri=https://x/cb") ==
          "grant_type=refresh_token&refresh_token=[REDACTED]&redirect_uri=https://x/cb");
    CHECK(redact_secrets_in_text("GET /callback?code=C0.abc%40&session=9f1&state=eyJ2IjoxfQ") ==
          "GET /callback?code=[REDACTED]&session=[REDACTED]&state=[REDACTED]");
    CHECK(redact_secrets_in_text("code_verifier=abc123&client_secret=s3cr3t") ==
          "code_verifier=[REDACTED]&client_secret=[REDACTED]");
  }

  SECTION("JSON and escaped JSON embedded in a message") {
    CHECK(redact_secrets_in_text(R"(body {"access_token": "I0.x", "expires_in": 1800})") ==
          R"(body {"access_token": "[REDACTED]", "expires_in": 1800})");
    CHECK(redact_secrets_in_text(
              R"(400: "{\"refresh_token\":\"rt-1\",\"error\":\"invalid_grant\"}")") ==
          R"(400: "{\"refresh_token\":\"[REDACTED]\",\"error\":\"invalid_grant\"}")");
    CHECK(redact_secrets_in_text("error code: INVALID_CODE, status code=401") ==
          "error code: INVALID_CODE, status code=401");
  }

  SECTION("JWTs and Schwab-style tokens anywhere") {
    CHECK(redact_secrets_in_text("session " + kJwt + " expired.") == "session [REDACTED] expired.");
    CHECK(redact_secrets_in_text("got " + kSchwabAccessToken) == "got [REDACTED]");
    CHECK(redact_secrets_in_text("(" + kJwt + ")") == "([REDACTED])");
  }

  SECTION("long opaque credentials, but not UUIDs, hostnames or versions") {
    CHECK(redact_secrets_in_text("key a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7 used") ==
          "key [REDACTED] used");
    std::string readable =
        "correl 3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8 at api.schwabapi.com v1.2.3 "
        "2024-05-07T13:30:01+0000 AMAT  241115C00210000";
    CHECK(redact_secrets_in_text(readable) == readable);
  }

  SECTION("redaction is idempotent") {
    std::string text = "Authorization: Bearer x\ncode=abc&state=def token " + kJwt;
    std::string once = redact_secrets_in_text(text);
    CHECK(redact_secrets_in_text(once) == once);
  }
}

TEST_CASE("account numbers in logs become ...789", "[privacy][redaction]") {
  auto map = AccountDisplayMap::build(
      {{"123456789", kHash, "Individual", ""}, {"5WX34382", "", "Margin", ""}});

  SECTION("with a map: keys, values, numbers, substrings, hashes") {
    Json raw = {{"accountNumber", "123456789"},
                {"order", {{"accountNumber", 123456789}, {"orderId", 1000454139831LL}}},
                {"message", "account 123456789 not found"},
                {"url", "/trader/v1/accounts/" + kHash + "/orders"},
                {"balances", {{"5WX34382", {{"cash", 100}}}}},
                {"quantity", 12}};
    Json out = redact_for_log(raw, &map);
    CHECK(out["accountNumber"] == "...789");
    CHECK(out["order"]["accountNumber"] == "...789");
    CHECK(out["order"]["orderId"] == 1000454139831LL);
    CHECK(out["message"] == "account ...789 not found");
    CHECK(out["url"] == "/trader/v1/accounts/...789/orders");
    CHECK(out["balances"].contains("...382"));
    CHECK(out["quantity"] == 12);
    CHECK_FALSE(dump_contains(out, "123456789"));
    CHECK_FALSE(dump_contains(out, kHash));
  }

  SECTION("account fields the map does not know are shortened anyway") {
    Json out = redact_for_log({{"account-number", "5ZZ99999"}, {"accountNumber", 87654321}}, &map);
    CHECK(out["account-number"] == "...999");
    CHECK(out["accountNumber"] == "...321");
  }

  SECTION("without a map: account fields and long digit runs") {
    Json raw = {{"accountNumber", "123456789"},
                {"account-number", "5WX34382"},
                {"message", "no account 12345678 for you"},
                {"orderId", 1000454139831LL},
                {"note", "order 1000454139831 at 1715088601 price 12345678.50"}};
    Json out = redact_for_log(raw, nullptr);
    CHECK(out["accountNumber"] == "...789");
    CHECK(out["account-number"] == "...382");
    CHECK(out["message"] == "no account ...678 for you");
    CHECK(out["orderId"] == 1000454139831LL);
    CHECK(out["note"] == "order 1000454139831 at 1715088601 price 12345678.50");
  }
}

TEST_CASE("digit runs without a map: what counts as an account number", "[privacy][redaction]") {
  CHECK(mask_long_digit_runs("acct 12345678") == "acct ...678");
  CHECK(mask_long_digit_runs("acct12345678x") == "acct...678x");
  CHECK(mask_long_digit_runs("1234567") == "1234567");            // too short
  CHECK(mask_long_digit_runs("99.123456789") == "99.123456789");  // decimals
  CHECK(mask_long_digit_runs("123456789.5") == "123456789.5");
  CHECK(mask_long_digit_runs("at 1715088601") == "at 1715088601");        // epoch seconds
  CHECK(mask_long_digit_runs("at 1715088601123") == "at 1715088601123");  // epoch ms
  CHECK(mask_long_digit_runs("9999999999") == "...999");                  // not a plausible time
  CHECK(mask_long_digit_runs("AMAT  241115C00210000") == "AMAT  241115C00210000");
  CHECK(mask_long_digit_runs("550e8400-e29b-41d4-a716-446655440000") ==
        "550e8400-e29b-41d4-a716-446655440000");
  CHECK(mask_long_digit_runs("cusip 037833100") == "cusip ...100");
  CHECK(mask_long_digit_runs("...678") == "...678");
}

TEST_CASE("hostile input never crashes the log redactor", "[privacy][redaction][hostile]") {
  SECTION("non-object roots") {
    CHECK(redact_for_log(Json(), nullptr).is_null());
    CHECK(redact_for_log(Json(3.5), nullptr) == 3.5);
    CHECK(redact_for_log(Json("Bearer abc"), nullptr) == "Bearer [REDACTED]");
    CHECK(redact_for_log(Json::array({"token", "x"}), nullptr) ==
          Json::array({"token", "[REDACTED]"}));
  }

  SECTION("deep nesting is cut off") {
    std::string text;
    for (int i = 0; i < 50000; ++i) text += R"({"a":[)";
    text += R"("Bearer secret-value")";
    for (int i = 0; i < 50000; ++i) text += "]}";
    auto deep = bmcp::testing::parse_json_unbounded(text);  // deeper than any input may be
    REQUIRE(deep.has_value());
    Json out = redact_for_log(*deep, nullptr);
    CHECK_FALSE(dump_contains(out, "secret-value"));
  }

  SECTION("huge and malformed strings") {
    std::string huge(3'000'000, 'a');
    huge += " Bearer tok";
    CHECK(redact_text_for_log(huge, nullptr).size() ==
          3'000'000 + std::string(" Bearer [REDACTED]").size());
    std::string digits(1'000'000, '5');
    CHECK(redact_text_for_log(digits, nullptr) == "...555");
    for (const char* odd : {"", "=", ":", "code=", "token:", "Bearer", "Bearer ", "\"token\":\"",
                            "Authorization:", "a.b.c", "...", "eyJ.", "\\\"code\\\":\\\""}) {
      INFO(odd);
      std::string once = redact_text_for_log(odd, nullptr);
      CHECK(redact_text_for_log(once, nullptr) == once);
    }
    std::string bytes("\xff token=\x00\x01secret", 16);
    CHECK(redact_text_for_log(bytes, nullptr).find("secret") == std::string::npos);
  }
}

TEST_CASE("random fragments: redaction never crashes, never leaks, and is idempotent",
          "[privacy][redaction][hostile]") {
  static const std::string kPieces[] = {"Bearer ",    "Basic ",
                                        "token",      "code",
                                        "=",          ":",
                                        "\"",         "\\\"",
                                        "'",          " ",
                                        "\n",         "Authorization",
                                        "Cookie",     "eyJhbGciOiJI",
                                        ".",          "abc",
                                        "0123456789", "12345678",
                                        "&",          "[REDACTED]",
                                        "...",        "-",
                                        "_",          "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6",
                                        "\xff",       "{",
                                        "}",          "state",
                                        "C",          "P",
                                        "241115",     "5WX34382"};
  auto map = AccountDisplayMap::build(
      {{"12345678", "", "Individual", ""}, {"5WX34382", "", "Margin", ""}});
  std::mt19937 rng(42);
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int k = int(rng() % 12); k > 0; --k) text += kPieces[rng() % std::size(kPieces)];
    INFO(text);
    std::string without_map = redact_text_for_log(text, nullptr);
    REQUIRE(redact_text_for_log(without_map, nullptr) == without_map);
    std::string with_map = redact_text_for_log(text, &map);
    REQUIRE(redact_text_for_log(with_map, &map) == with_map);
    REQUIRE(with_map.find("12345678") == std::string::npos);
    REQUIRE(with_map.find("5WX34382") == std::string::npos);
  }
}

TEST_CASE("account numbers of either broker in any spelling never reach a log",
          "[privacy][redaction]") {
  SECTION("tastytrade numbers are letters and digits: masked with or without a map") {
    CHECK(mask_account_shaped_tokens("GET /accounts/5WT10123/positions") ==
          "GET /accounts/...123/positions");
    CHECK(mask_account_shaped_tokens("\"5wt10123\",\"5YZ55555\"") == "\"...123\",\"...555\"");
    CHECK(mask_account_shaped_tokens("AAPL  241115C00210000 SPY 5AB") ==
          "AAPL  241115C00210000 SPY 5AB");
    CHECK(mask_account_shaped_tokens("x5WT10123y") ==
          "x5WT10123y");  // inside a longer token: not this shape
    Json raw = {{"path", "/accounts/5WT10123/orders/dry-run"},
                {"message", "Account 5WT10123 is not approved"}};
    Json out = redact_for_log(raw, nullptr);
    CHECK(out["path"] == "/accounts/...123/orders/dry-run");
    CHECK(out["message"] == "Account ...123 is not approved");
    auto other = AccountDisplayMap::build({{"5WX34382", "", "Margin", ""}});
    CHECK(redact_text_for_log("/accounts/5WT10123/orders", &other) == "/accounts/...123/orders");
  }

  SECTION("Schwab numbers hyphenated") {
    CHECK(mask_long_digit_runs("Account 1234-5678 is not approved") ==
          "Account ...678 is not approved");
    CHECK(mask_long_digit_runs("/accounts/1234-5678/orders") == "/accounts/...678/orders");
    CHECK(mask_long_digit_runs("on 2026-12-02 at 10:00") == "on 2026-12-02 at 10:00");  // a date
    CHECK(mask_long_digit_runs("550e8400-e29b-41d4-a716-446655440000") ==
          "550e8400-e29b-41d4-a716-446655440000");
    auto map = AccountDisplayMap::build({{"12345678", "", "Individual", ""}});
    CHECK(redact_text_for_log("Account 1234-5678 and 1234_5678", &map) ==
          "Account ...678 and ...678");
  }
}
