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
    for (const char* text : {"", "{", "[]", "null", R"({"v":"1"})", R"({"v":1})", R"({"v":1,"event":{}})",
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

  for (const char* bad : {R"({"v":1})", R"({"v":1,"results":[{"ok":true}]})", R"({"v":1,"results":[{"id":-1,"ok":true}]})",
                          R"({"v":1,"results":[{"id":1}]})", R"({"v":1,"results":{}})", R"({"v":3,"results":[]})"}) {
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
