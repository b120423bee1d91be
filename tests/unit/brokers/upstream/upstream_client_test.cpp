// The broker HTTP client on the simulated platform: tokens, error mapping, retries with
// the fake clock, mutations sent once, the shared rate limit.
#include <catch2/catch.hpp>

#include "brokers/upstream/upstream_client.hpp"
#include "effects/bounded_fetch.hpp"
#include "support/fake_host.hpp"
#include "unit/brokers/schwab/schwab_harness.hpp"

using namespace bmcp;
using namespace bmcp::upstream;
using bmcp::testing::schwab::FakeBrokerAccess;

namespace {

std::string said(const Json& body) { return get_string(body, "message").value_or(""); }

struct ClientBench {
  testing::FakeHost host;
  FakeBrokerAccess broker;
  D1RateLimiter limiter{120, 60000};
  std::unique_ptr<UpstreamClient> client;
  std::vector<Json> script;  // answers in order; the last one repeats
  std::size_t next = 0;

  explicit ClientBench(bool limit = true) {
    Endpoint ep;
    ep.provider = "schwab";
    ep.label = "Schwab";
    ep.base_url = "https://broker.test";
    ep.correlation_header = "Schwab-Client-CorrelId";
    ep.error_message = said;
    client = std::make_unique<UpstreamClient>(ep, broker, limit ? &limiter : nullptr,
                                              logging::null_logger());
    host.http = [this](const Json&) {
      Json r = script.at(std::min(next, script.size() - 1));
      ++next;
      return r;
    };
  }

  static Json reply(int status, std::string body = "{}",
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    Json hs = Json::array({Json::array({"Schwab-Client-CorrelId", "c-" + std::to_string(status)})});
    for (auto& [k, v] : headers) hs.push_back(Json::array({k, v}));
    return {{"status", status}, {"headers", hs}, {"body", body}};
  }

  UpstreamResult send(UpstreamRequest r) {
    UpstreamResult out;
    UpstreamClient* c = client.get();
    host.run([c, r, &out](Io& io) { return run(io, c, r, &out); });
    return out;
  }
  static Task<Json> run(Io& io, UpstreamClient* c, UpstreamRequest r, UpstreamResult* out) {
    *out = co_await c->send(io, "user-1", std::move(r));
    co_return Json();
  }
};

Task<Json> take(Io& io, const D1RateLimiter* l, RateDecision* out) {
  std::string bucket = "schwab";
  *out = co_await l->acquire(io, std::move(bucket));
  co_return Json();
}

UpstreamRequest get(std::string path) {
  UpstreamRequest r;
  r.path = std::move(path);
  return r;
}

}  // namespace

TEST_CASE("a request carries the token and the broker's answer comes back", "[upstream]") {
  ClientBench b;
  b.script = {ClientBench::reply(200, R"({"a":1})")};
  UpstreamRequest r = get("/x/y");
  r.query = "k=v";
  auto res = b.send(r);
  REQUIRE(res.ok);
  CHECK(res.response.json["a"] == 1);
  CHECK(res.response.correlation_id == "c-200");
  REQUIRE(b.host.http_log.size() == 1);
  const Json& sent = b.host.http_log[0];
  CHECK(sent["url"] == "https://broker.test/x/y?k=v");
  CHECK(sent["method"] == "GET");
  CHECK(dump_json(sent["headers"]).find("Bearer tok-1") != std::string::npos);
  CHECK(sent["timeoutMs"] == 10000);
}

TEST_CASE(
    "broker statuses map to the error codes (401 invalid_token, 403 insufficient_scope, 429 "
    "rate_limited, …)",
    "[upstream][errors]") {
  ClientBench b;
  auto code_for = [&](Json reply) {
    b.script = {std::move(reply)};
    b.next = 0;
    return b.send(get("/x")).error;
  };
  SECTION("401 -> invalid_token, the token is invalidated, no retry") {
    auto e = code_for(ClientBench::reply(401, R"({"message":"Unauthorized"})"));
    CHECK(e.code == ErrorCode::InvalidToken);
    CHECK(e.http_status == 401);
    CHECK(b.broker.invalidated == std::vector<std::string>{"tok-1"});
    CHECK(b.host.http_log.size() == 1);
  }
  SECTION("401 for a token remembered in the isolate: a read tries once more with the stored one") {
    b.broker.first_remembered = true;
    b.script = {ClientBench::reply(401), ClientBench::reply(200, R"({"a":1})")};
    auto res = b.send(get("/x"));
    CHECK(res.ok);
    CHECK(b.broker.invalidated == std::vector<std::string>{"tok-1"});
    REQUIRE(b.host.http_log.size() == 2);
    CHECK(dump_json(b.host.http_log[1]["headers"]).find("Bearer tok-2") != std::string::npos);
  }
  SECTION(
      "401 for a replaced token on a mutation: sent once more with the stored token, and only "
      "once") {
    b.broker.first_remembered = true;
    b.script = {ClientBench::reply(401), ClientBench::reply(200, R"({"a":1})")};
    UpstreamRequest r = get("/x");
    r.method = "POST";
    r.mutation = true;
    CHECK(b.send(r).ok);
    REQUIRE(b.host.http_log.size() == 2);
    CHECK(dump_json(b.host.http_log[1]["headers"]).find("Bearer tok-2") != std::string::npos);
  }
  SECTION("401 again after the retry with the stored token: no third try") {
    b.broker.first_remembered = true;
    b.script = {ClientBench::reply(401)};
    CHECK(b.send(get("/x")).error.code == ErrorCode::InvalidToken);
    CHECK(b.host.http_log.size() == 2);
  }
  SECTION("403 -> insufficient_scope") {
    CHECK(code_for(ClientBench::reply(403)).code == ErrorCode::InsufficientScope);
  }
  SECTION("404 -> not_found, with the broker's words and correlation id") {
    auto e = code_for(ClientBench::reply(404, R"({"message":"Order not found"})"));
    CHECK(e.code == ErrorCode::NotFound);
    CHECK(e.correlation_id == "c-404");
    CHECK_THAT(e.message, Catch::Contains("Order not found"));
    CHECK_THAT(e.describe("Schwab"), Catch::StartsWith("not_found: ") &&
                                         Catch::Contains("HTTP 404") &&
                                         Catch::Contains("Schwab correlation id c-404"));
  }
  SECTION("400 -> invalid_request, not retried") {
    CHECK(code_for(ClientBench::reply(400)).code == ErrorCode::InvalidRequest);
    CHECK(b.host.http_log.size() == 1);
  }
  SECTION("500 -> server_error after the retries") {
    auto e = code_for(ClientBench::reply(500));
    CHECK(e.code == ErrorCode::ServerError);
    CHECK(b.host.http_log.size() == 3);
  }
  SECTION("no answer -> network_error") {
    auto e = code_for(Json{{"error", {{"code", "network"}, {"message", "connection refused"}}}});
    CHECK(e.code == ErrorCode::NetworkError);
    CHECK(e.http_status == 0);
    CHECK(b.host.http_log.size() == 3);
  }
  SECTION("a timeout is retried once, then network_error") {
    auto e = code_for(Json{{"error", {{"code", "timeout"}, {"message", "no answer"}}}});
    CHECK(e.code == ErrorCode::NetworkError);
    CHECK_THAT(e.message, Catch::Contains("did not answer within 10 s"));
    CHECK(b.host.http_log.size() == 2);
  }
  SECTION("a 2xx body that is not JSON -> invalid_response") {
    auto e = code_for(ClientBench::reply(200, R"({"data":{"ite)"));
    CHECK(e.code == ErrorCode::InvalidResponse);
  }
  SECTION("not signed in -> invalid_token without a request") {
    b.broker.status = brokers::AccessToken::Status::ReauthRequired;
    auto e = code_for(ClientBench::reply(200));
    CHECK(e.code == ErrorCode::InvalidToken);
    CHECK(b.host.http_log.empty());
  }
}

TEST_CASE("reads are retried with backoff on the fake clock, honouring Retry-After",
          "[upstream][retry]") {
  ClientBench b;
  const std::int64_t start = b.host.now_ms;
  SECTION("429 with Retry-After, then success") {
    b.script = {ClientBench::reply(429, "{}", {{"Retry-After", "2"}}),
                ClientBench::reply(200, R"({"ok":true})")};
    auto res = b.send(get("/x"));
    REQUIRE(res.ok);
    CHECK(res.attempts == 2);
    CHECK(b.host.now_ms - start >= 2000);
  }
  SECTION("a 503 then a 502 then success: waits grow") {
    b.script = {ClientBench::reply(503), ClientBench::reply(502), ClientBench::reply(200)};
    auto res = b.send(get("/x"));
    REQUIRE(res.ok);
    CHECK(res.attempts == 3);
    std::int64_t waited = b.host.now_ms - start;
    CHECK(waited >= 300 + 600);
    CHECK(waited <= 500 + 1000);
  }
  SECTION("429 that keeps coming: rate_limited with the broker's Retry-After") {
    b.script = {ClientBench::reply(429, R"({"message":"slow down"})", {{"Retry-After", "1"}})};
    auto res = b.send(get("/x"));
    CHECK(res.error.code == ErrorCode::RateLimited);
    CHECK(res.error.retry_after_ms == 1000);
    CHECK(b.host.http_log.size() == 3);
    CHECK_THAT(res.error.describe("Schwab"), Catch::Contains("try again in 1 s"));
  }
  SECTION("a Retry-After too long to wait for is reported, not slept") {
    b.script = {ClientBench::reply(429, "{}", {{"Retry-After", "60"}})};
    auto res = b.send(get("/x"));
    CHECK(res.error.code == ErrorCode::RateLimited);
    CHECK(b.host.http_log.size() == 1);
    CHECK(b.host.now_ms == start);
  }
}

TEST_CASE("mutations are sent exactly once", "[upstream][retry]") {
  ClientBench b;
  UpstreamRequest r;
  r.method = "POST";
  r.path = "/orders";
  r.body = R"({"x":1})";
  r.mutation = true;
  SECTION("a 500 is not retried") {
    b.script = {ClientBench::reply(500)};
    auto res = b.send(r);
    CHECK(res.error.code == ErrorCode::ServerError);
    CHECK(b.host.http_log.size() == 1);
  }
  SECTION("a 429 is not retried") {
    b.script = {ClientBench::reply(429, "{}", {{"Retry-After", "1"}})};
    CHECK(b.send(r).error.code == ErrorCode::RateLimited);
    CHECK(b.host.http_log.size() == 1);
  }
  SECTION("no answer: the outcome is unknown") {
    b.script = {Json{{"error", {{"code", "timeout"}, {"message", "x"}}}}};
    auto res = b.send(r);
    CHECK(res.error.code == ErrorCode::NetworkError);
    CHECK(res.error.outcome_unknown);
    CHECK(b.host.http_log.size() == 1);
  }
  SECTION("an empty 201 is success, with its headers") {
    b.script = {ClientBench::reply(201, "", {{"Location", "https://broker.test/orders/42"}})};
    auto res = b.send(r);
    REQUIRE(res.ok);
    CHECK(res.response.json.is_null());
    CHECK(http::find_header(res.response.headers, "location") ==
          std::optional<std::string_view>("https://broker.test/orders/42"));
    const Json& sent = b.host.http_log[0];
    CHECK(sent["body"] == R"({"x":1})");
    CHECK(dump_json(sent["headers"]).find("application/json") != std::string::npos);
  }
}

TEST_CASE("the deployment-wide rate limit is shared through D1", "[upstream][ratelimit]") {
  testing::FakeHost host;
  D1RateLimiter limiter(3, 60000);
  auto acquire = [&]() {
    RateDecision d;
    const D1RateLimiter* l = &limiter;
    host.run([l, &d](Io& io) { return take(io, l, &d); });
    return d;
  };
  // Align to the start of a window.
  host.now_ms -= host.now_ms % 60000;
  CHECK(acquire().allowed);
  CHECK(acquire().allowed);
  CHECK(acquire().allowed);
  RateDecision refused = acquire();
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after_ms == 60000);
  host.advance(30000);
  CHECK(acquire().retry_after_ms == 30000);
  host.advance(30000);  // a new window
  CHECK(acquire().allowed);
  auto rows = host.sql("SELECT bucket, count FROM upstream_rate_windows");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["count"] == 1);
  // Another isolate with a clock a little behind does not reset the window.
  host.advance(-1000);
  CHECK(acquire().allowed);
  CHECK(host.sql("SELECT count FROM upstream_rate_windows")[0]["count"] == 2);
}

TEST_CASE("a client over the limit answers rate_limited without calling the broker",
          "[upstream][ratelimit]") {
  ClientBench b;
  b.script = {ClientBench::reply(200)};
  b.host.sql(
      "INSERT INTO upstream_rate_windows (bucket, window_start, count) VALUES ('schwab', ?, 120)",
      Json::array({b.host.now_ms - b.host.now_ms % 60000}));
  b.host.now_ms -= b.host.now_ms % 60000;  // the window has a minute to go: no short wait
  auto res = b.send(get("/x"));
  CHECK(res.error.code == ErrorCode::RateLimited);
  CHECK(res.error.retry_after_ms == 60000);
  CHECK(b.host.http_log.empty());
  CHECK_THAT(res.error.message, Catch::Contains("shared limit"));
}

TEST_CASE("a read waits for the next window when it is about to start", "[upstream][ratelimit]") {
  ClientBench b;
  b.script = {ClientBench::reply(200)};
  std::int64_t window = b.host.now_ms - b.host.now_ms % 60000;
  b.host.sql(
      "INSERT INTO upstream_rate_windows (bucket, window_start, count) VALUES ('schwab', ?, 500)",
      Json::array({window}));
  b.host.now_ms = window + 59000;
  auto res = b.send(get("/x"));
  CHECK(res.ok);
  CHECK(b.host.now_ms >= window + 60000);
}

TEST_CASE("a failing broker call logs no account number of either broker",
          "[upstream][privacy][logging]") {
  // The logging port as the Worker has it (every line through privacy::format_log_line),
  // capturing what a sink would write; the client logs without an account map.
  testing::schwab::CaptureSink sink;
  logging::Logger log(sink, logging::LogLevel::kDebug);
  testing::FakeHost host;
  FakeBrokerAccess broker;
  Endpoint ep;
  ep.provider = "tastytrade";
  ep.label = "tastytrade";
  ep.base_url = "https://broker.test";
  ep.error_message = said;
  UpstreamClient client(ep, broker, nullptr, log);
  host.http = [](const Json&) {
    return Json{{"status", 500},
                {"headers", Json::array()},
                {"body", R"({"message":"Account 5WT10123 is unavailable"})"}};
  };
  const std::vector<std::string> paths = {
      "/accounts/5WT10123/positions", "/accounts/5wt10123/orders/dry-run",
      "/trader/v1/accounts/28476123/orders", "/trader/v1/accounts/2847-6123/orders"};
  for (const std::string& path : paths) {
    UpstreamResult out;
    UpstreamClient* c = &client;
    UpstreamRequest r = get(path);
    host.run([c, r, &out](Io& io) { return ClientBench::run(io, c, r, &out); });
    CHECK_FALSE(out.ok);
  }
  REQUIRE_FALSE(sink.lines.empty());
  bool failure_logged = false;
  for (const std::string& line : sink.lines) {
    INFO(line);
    std::string upper;
    for (char ch : line)
      if (ch != '-') upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    CHECK(upper.find("5WT10123") == std::string::npos);
    CHECK(upper.find("28476123") == std::string::npos);
    failure_logged = failure_logged || line.find("broker request failed") != std::string::npos;
  }
  CHECK(failure_logged);
}

TEST_CASE("a broker answer over the read cap fails once, unread and not retried",
          "[upstream][limits]") {
  ClientBench b;
  b.script = {ClientBench::reply(
      200, std::string(static_cast<std::size_t>(host::kMaxFetchBodyBytes) + 1, ' '))};
  auto res = b.send(get("/huge"));
  CHECK_FALSE(res.ok);
  CHECK(res.error.code == ErrorCode::InvalidResponse);
  CHECK_THAT(res.error.message, Catch::Contains("larger than 8 MB"));
  CHECK(res.attempts == 1);
  REQUIRE(b.host.http_log.size() == 1);
  CHECK(b.host.http_log[0]["maxBytes"] == host::kMaxFetchBodyBytes);
}
