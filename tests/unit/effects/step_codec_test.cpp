// The wire contract (bindings/ABI.md): versioned, strict, and never fatal on bad input.
#include <catch2/catch.hpp>

#include "effects/step_codec.hpp"

using namespace bmcp;

TEST_CASE("start envelopes", "[wire]") {
  SECTION("a valid envelope") {
    auto r = decode_start(R"({"v":1,"now":123,"event":{"type":"fetch","request":{}}})");
    REQUIRE(std::holds_alternative<StartEnvelope>(r));
    CHECK(std::get<StartEnvelope>(r).now_ms == 123);
    CHECK(std::get<StartEnvelope>(r).event["type"] == "fetch");
  }
  SECTION("an unknown version is a clear error") {
    auto r = decode_start(R"({"v":2,"event":{"type":"fetch"}})");
    REQUIRE(std::holds_alternative<WireError>(r));
    CHECK_THAT(std::get<WireError>(r).message, Catch::Contains("unsupported wire version 2"));
  }
  SECTION("malformed input") {
    for (const char* text :
         {"", "{", "[]", "null", R"({"v":"1"})", R"({"v":1})", R"({"v":1,"event":{}})",
          R"({"v":1,"event":{"type":7}})", "\xff\xfe"}) {
      CHECK(std::holds_alternative<WireError>(decode_start(text)));
    }
  }
}

TEST_CASE("resume envelopes", "[wire]") {
  auto r = decode_resume(
      R"({"v":1,"now":9,"results":[{"id":1,"ok":true,"value":{"x":1}},{"id":2,"ok":false,"error":{"code":"timeout","message":"slow"}}]})");
  REQUIRE(std::holds_alternative<ResumeEnvelope>(r));
  auto& env = std::get<ResumeEnvelope>(r);
  REQUIRE(env.outcomes.size() == 2);
  CHECK(env.outcomes[0].outcome.ok);
  CHECK(env.outcomes[0].outcome.value["x"] == 1);
  CHECK_FALSE(env.outcomes[1].outcome.ok);
  CHECK(env.outcomes[1].outcome.error_code == "timeout");

  for (const char* bad :
       {R"({"v":1})", R"({"v":1,"results":[{"ok":true}]})",
        R"({"v":1,"results":[{"id":-1,"ok":true}]})", R"({"v":1,"results":[{"id":1}]})",
        R"({"v":1,"results":{}})", R"({"v":3,"results":[]})"}) {
    CHECK(std::holds_alternative<WireError>(decode_resume(bad)));
  }
}

TEST_CASE("steps are encoded with the version and call id", "[wire]") {
  Step blocked;
  blocked.state = Step::State::Blocked;
  blocked.effects.push_back({7, Effect{"kv.get", {{"key", "k"}}}});
  auto j = parse_json(encode_step(3, blocked));
  REQUIRE(j);
  CHECK((*j)["v"] == 1);
  CHECK((*j)["call"] == 3);
  CHECK((*j)["state"] == "blocked");
  CHECK((*j)["effects"][0] == Json{{"id", 7}, {"kind", "kv.get"}, {"args", {{"key", "k"}}}});

  Step done;
  done.state = Step::State::Done;
  done.result = {{"kind", "response"}};
  CHECK((*parse_json(encode_step(4, done)))["result"]["kind"] == "response");
  CHECK((*parse_json(encode_wire_error(5, "boom")))["state"] == "error");
}

TEST_CASE("a finished call's response body is written as it is, whatever it holds", "[wire]") {
  std::string body;
  for (int c = 0; c < 0x80; ++c) body.push_back(static_cast<char>(c));
  body += "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x88 \"quoted\" back\\slash";  // é € 📈
  body += std::string(50000, 'x');  // the size of a tools/list answer
  for (const Json& headers :
       {Json::array(), Json::array({Json::array({"Content-Type", "application/json"})})}) {
    Step step;
    step.state = Step::State::Done;
    step.result = {{"kind", "response"}, {"status", 200}, {"headers", headers}, {"body", body}};
    std::string text = encode_step(9, step);
    auto decoded = parse_json(text);
    REQUIRE(decoded);
    // The same document the generic encoding gives, byte for byte once re-serialized.
    Json expected = {{"v", 1}, {"call", 9}, {"state", "done"}, {"result", step.result}};
    CHECK(*decoded == expected);
    CHECK((*decoded)["result"]["body"].get<std::string>() == body);
  }
  SECTION("a result that is not a response with a text body goes the generic way") {
    Step step;
    step.state = Step::State::Done;
    step.result = {{"kind", "streamed"}};
    CHECK(parse_json(encode_step(3, step)) ==
          Json({{"v", 1}, {"call", 3}, {"state", "done"}, {"result", step.result}}));
  }
}
