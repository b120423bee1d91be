// The wire contract (bindings/ABI.md): versioned, strict, and never fatal on bad input.
#include <catch2/catch.hpp>

#include "effects/step_codec.hpp"
#include "http/request_wire.hpp"

using namespace bmcp;

TEST_CASE("start envelopes", "[wire]") {
  SECTION("a valid envelope") {
    auto r = decode_start(R"({"v":2,"now":123,"event":{"type":"fetch","request":{}}})");
    REQUIRE(std::holds_alternative<StartEnvelope>(r));
    CHECK(std::get<StartEnvelope>(r).now_ms == 123);
    CHECK(std::get<StartEnvelope>(r).event["type"] == "fetch");
  }
  SECTION("an unknown version is a clear error") {
    auto r = decode_start(R"({"v":1,"event":{"type":"fetch"}})");
    REQUIRE(std::holds_alternative<WireError>(r));
    CHECK_THAT(std::get<WireError>(r).message, Catch::Contains("unsupported wire version 1"));
  }
  SECTION("malformed input") {
    for (const char* text :
         {"", "{", "[]", "null", R"({"v":"2"})", R"({"v":2})", R"({"v":2,"event":{}})",
          R"({"v":2,"event":{"type":7}})", "\xff\xfe"}) {
      CHECK(std::holds_alternative<WireError>(decode_start(text)));
    }
  }
}

TEST_CASE("resume envelopes", "[wire]") {
  auto r = decode_resume(
      R"({"v":2,"now":9,"results":[{"id":1,"ok":true,"value":{"x":1}},{"id":2,"ok":false,"error":{"code":"timeout","message":"slow"}}]})");
  REQUIRE(std::holds_alternative<ResumeEnvelope>(r));
  auto& env = std::get<ResumeEnvelope>(r);
  REQUIRE(env.outcomes.size() == 2);
  CHECK(env.outcomes[0].outcome.ok);
  CHECK(env.outcomes[0].outcome.value["x"] == 1);
  CHECK_FALSE(env.outcomes[1].outcome.ok);
  CHECK(env.outcomes[1].outcome.error_code == "timeout");

  for (const char* bad :
       {R"({"v":2})", R"({"v":2,"results":[{"ok":true}]})",
        R"({"v":2,"results":[{"id":-1,"ok":true}]})", R"({"v":2,"results":[{"id":1}]})",
        R"({"v":2,"results":{}})", R"({"v":3,"results":[]})"}) {
    CHECK(std::holds_alternative<WireError>(decode_resume(bad)));
  }
}

TEST_CASE("steps are encoded with the version and call id", "[wire]") {
  Step blocked;
  blocked.state = Step::State::Blocked;
  blocked.effects.push_back({7, Effect{"kv.get", {{"key", "k"}}}});
  auto j = parse_json(encode_step(3, blocked).json);
  REQUIRE(j);
  CHECK((*j)["v"] == 2);
  CHECK((*j)["call"] == 3);
  CHECK((*j)["state"] == "blocked");
  CHECK((*j)["effects"][0] == Json{{"id", 7}, {"kind", "kv.get"}, {"args", {{"key", "k"}}}});

  Step done;
  done.state = Step::State::Done;
  done.result = {{"kind", "response"}};
  CHECK((*parse_json(encode_step(4, done).json))["result"]["kind"] == "response");
  CHECK((*parse_json(encode_wire_error(5, "boom")))["state"] == "error");
}

TEST_CASE("a finished call's response body travels beside the Step, as it is", "[wire]") {
  std::string body;
  for (int c = 0; c < 0x100; ++c) body.push_back(static_cast<char>(c));     // any byte at all
  body += "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x88 \"quoted\" back\\slash";  // é € 📈
  body += std::string(50000, 'x');  // the size of a tools/list answer
  for (const Json& headers :
       {Json::array(), Json::array({Json::array({"Content-Type", "application/json"})})}) {
    Step step;
    step.state = Step::State::Done;
    step.result = {{"kind", "response"}, {"status", 200}, {"headers", headers}, {"body", body}};
    EncodedStep encoded = encode_step(9, step);
    CHECK(encoded.body == body);
    auto decoded = parse_json(encoded.json);
    REQUIRE(decoded);
    Json expected_result = step.result;
    expected_result.erase("body");
    CHECK(*decoded ==
          Json({{"v", 2}, {"call", 9}, {"state", "done"}, {"result", expected_result}}));
  }
  SECTION("a result that is not a response keeps everything in the JSON") {
    Step step;
    step.state = Step::State::Done;
    step.result = {{"kind", "streamed"}, {"body", "not an HTTP body"}};
    EncodedStep encoded = encode_step(3, step);
    CHECK(encoded.body.empty());
    CHECK(parse_json(encoded.json) ==
          Json({{"v", 2}, {"call", 3}, {"state", "done"}, {"result", step.result}}));
  }
  SECTION("a blocked call's fallback keeps its body in the JSON") {
    Step step;
    step.state = Step::State::Blocked;
    step.critical = true;
    step.fallback = {{"effects", Json::array()},
                     {"result", {{"kind", "response"}, {"status", 200}, {"body", "kept"}}}};
    EncodedStep encoded = encode_step(4, step);
    CHECK(encoded.body.empty());
    CHECK((*parse_json(encoded.json))["fallback"]["result"]["body"] == "kept");
  }
}

TEST_CASE("an event's request in its compact form", "[wire]") {
  http::Request r;
  r.method = "POST";
  r.url = "https://mcp.example.com/mcp?x=1";
  r.headers = {
      {"content-type", "application/json"}, {"x-empty", ""}, {"authorization", "Bearer t"}};
  r.body = "{\"a\":\"line\nbreak\"}\n\n3\nnot a header\n";  // the body may hold anything
  const std::string wire = http::request_to_wire(r);
  std::optional<http::Request> back = http::request_from_wire(wire);
  REQUIRE(back);
  CHECK(back->method == r.method);
  CHECK(back->url == r.url);
  CHECK(back->parsed_url.path == "/mcp");
  CHECK(back->headers == r.headers);
  CHECK(back->body == r.body);

  SECTION("beside a start envelope") {
    auto decoded = decode_start(R"({"v":2,"now":5,"event":{"type":"fetch"}})", wire);
    REQUIRE(std::holds_alternative<StartEnvelope>(decoded));
    const StartEnvelope& env = std::get<StartEnvelope>(decoded);
    REQUIRE(env.request);
    CHECK(env.request->body == r.body);
    CHECK(std::holds_alternative<WireError>(
        decode_start(R"({"v":2,"now":5,"event":{"type":"fetch"}})", "GET\n")));
  }
  SECTION("anything but exactly that shape is refused, never half read") {
    for (std::string_view bad :
         {"", "POST", "POST\nhttps://a.example/\n",
          "POST\nhttps://a.example/\n1\nname\n",  // a header short
          "POST\nhttps://a.example/\n2\na\n1\n", "POST\nhttps://a.example/\nx\n",
          "POST\nhttps://a.example/\n-1\n", "POST\nhttps://a.example/\n1001\n",
          "POST\nhttps://a.example/\n99999\n", "POST\nhttps://a.example/\n999999999\n",
          "POST\nhttps://a.example/\n1234567890\n", "POST\nnot a url\n0\n",
          "POST\nftp://a.example/\n0\n", "\nhttps://a.example/\n0\n",
          "POST\nhttps://a.example/\n1\n\nv\n"}) {
      INFO(bad);
      CHECK_FALSE(http::request_from_wire(bad));
    }
    // Many headers are fine: the count is bounded by the text, not by a limit of its own.
    http::Request many = r;
    many.headers.clear();
    for (int i = 0; i < 1500; ++i) many.headers.emplace_back("x-h" + std::to_string(i), "v");
    std::optional<http::Request> all = http::request_from_wire(http::request_to_wire(many));
    REQUIRE(all);
    CHECK(all->headers.size() == 1500);
    CHECK(all->body == r.body);
    std::optional<http::Request> no_body = http::request_from_wire("GET\nhttps://a.example/\n0\n");
    REQUIRE(no_body);
    CHECK(no_body->body.empty());
    CHECK(no_body->headers.empty());
  }
}
