// Critical sections: a stretch of a call that the host must not cancel, reported with every
// Step together with the answer to give if the call fails inside it.
#include <catch2/catch.hpp>

#include "effects/call.hpp"
#include "effects/critical_section.hpp"
#include "effects/step_codec.hpp"
#include "effects/when_all.hpp"
#include "support/fake_host.hpp"
#include "support/openssl_crypto.hpp"

using namespace bmcp;

namespace {

testing::OpenSslCrypto crypto;

Task<std::string> get(Io& io, std::string key) {
  Effect effect{"kv.get", Json{{"key", key}}};
  EffectOutcome r = co_await io.perform(std::move(effect));
  co_return r.ok ? get_string(r.value, "value").value_or("null") : "error";
}

EffectOutcome value(std::string v) { return EffectOutcome::success({{"value", std::move(v)}}); }

// before (cancellable) → inside a section with a fallback → after (cancellable again).
Task<Json> with_section(Io& io) {
  std::string a = co_await get(io, "before");
  std::string b;
  {
    CriticalSection section(io, Json{{"result", {{"kind", "response"}, {"status", 200}}}});
    b = co_await get(io, "inside");
  }
  std::string c = co_await get(io, "after");
  co_return Json{a, b, c};
}

Task<std::string> guarded_child(Io& io, std::string key, Json fallback) {
  CriticalSection section(io, std::move(fallback));
  std::string v = co_await get(io, key);
  co_return v;
}

}  // namespace

TEST_CASE("a call inside a critical section is not cancellable and says so in its Steps",
          "[effects][critical]") {
  Call call(crypto, 0, [](Io& io) { return with_section(io); });
  Step s = call.start();
  REQUIRE(s.state == Step::State::Blocked);
  CHECK_FALSE(s.critical);
  CHECK(s.fallback.is_null());
  CHECK(call.cancellable());

  Step inside = call.resume(1, {{s.effects[0].id, value("A")}});
  REQUIRE(inside.state == Step::State::Blocked);
  REQUIRE(inside.effects.size() == 1);
  CHECK(inside.effects[0].effect.args["key"] == "inside");
  CHECK(inside.critical);
  CHECK(inside.fallback["result"]["status"] == 200);  // known before the effect is performed
  CHECK_FALSE(call.cancellable());
  // On the wire.
  Json wire = parse_json(encode_step(7, inside).json).value_or(Json());
  CHECK(wire["critical"] == true);
  CHECK(wire["fallback"]["result"]["kind"] == "response");

  Step after = call.resume(2, {{inside.effects[0].id, value("B")}});
  REQUIRE(after.state == Step::State::Blocked);
  CHECK_FALSE(after.critical);
  CHECK(call.cancellable());
  Json plain = parse_json(encode_step(7, after).json).value_or(Json());
  CHECK_FALSE(plain.contains("critical"));
  CHECK_FALSE(plain.contains("fallback"));
  Step done = call.resume(3, {{after.effects[0].id, value("C")}});
  REQUIRE(done.state == Step::State::Done);
  CHECK(done.result == Json{"A", "B", "C"});
}

TEST_CASE("sibling sections close in any order; the innermost fallback wins",
          "[effects][critical]") {
  Call call(crypto, 0, [](Io& io) -> Task<Json> {
    CriticalSection outer(io, Json{{"result", "outer"}});
    std::vector<Task<std::string>> tasks;
    tasks.push_back(guarded_child(io, "x", Json{{"result", "x"}}));
    tasks.push_back(guarded_child(io, "y", nullptr));  // no fallback of its own
    std::vector<std::string> values = co_await when_all(std::move(tasks));
    std::string last = co_await get(io, "z");
    co_return Json{values[0], values[1], last};
  });
  Step s = call.start();
  REQUIRE(s.effects.size() == 2);
  CHECK(s.critical);
  CHECK(s.fallback["result"] == "x");  // the innermost section with a fallback
  Step mid = call.resume(1, {{s.effects[0].id, value("X")}});  // x's section closes first
  CHECK(mid.critical);
  CHECK(mid.fallback["result"] == "outer");
  Step last = call.resume(2, {{s.effects[1].id, value("Y")}});
  CHECK(last.critical);
  CHECK(last.fallback["result"] == "outer");
  CHECK_FALSE(call.cancellable());
  Step done = call.resume(3, {{last.effects[0].id, value("Z")}});
  REQUIRE(done.state == Step::State::Done);
  CHECK(call.cancellable());
}

// Inside a section: tag the call, then wait until another call posts "go".
Task<Json> waiting_in_section(Io& io, Json fallback) {
  Effect tag{"call.tag", Json{{"tag", "req:1"}}};
  co_await io.perform(std::move(tag));
  CriticalSection section(io, std::move(fallback));
  Effect wait{"mailbox.wait", Json{{"key", "go"}, {"timeoutMs", 60000}}};
  EffectOutcome r = co_await io.perform(std::move(wait));
  co_return r.ok ? r.value["value"] : Json("timeout");
}

Task<Json> perform_one(Io& io, std::string kind, Json args) {
  Effect effect{std::move(kind), std::move(args)};
  EffectOutcome r = co_await io.perform(std::move(effect));
  co_return r.value;
}

TEST_CASE("the host refuses to cancel a call in a critical section, and it finishes",
          "[effects][critical]") {
  testing::FakeHost host;
  auto run = host.start([](Io& io) { return waiting_in_section(io, Json{{"result", "fb"}}); });
  host.pump();
  REQUIRE_FALSE(host.done(run));
  CHECK(host.critical(run));
  CHECK(host.fallback(run)["result"] == "fb");
  CHECK_FALSE(host.cancel(run));  // bmcp_cancel answers 0
  // notifications/cancelled (call.cancel by tag) is refused too, and the tag stays.
  Json cancel_args = {{"tag", "req:1"}};
  Json refused =
      host.run([cancel_args](Io& io) { return perform_one(io, "call.cancel", cancel_args); });
  CHECK(refused["cancelled"] == false);
  Json post_args = {{"key", "go"}, {"value", "done"}};
  host.run([post_args](Io& io) { return perform_one(io, "mailbox.post", post_args); });
  host.pump();
  REQUIRE(host.done(run));
  CHECK(host.result(run) == "done");
  CHECK(host.live_calls() == 0);
}

TEST_CASE("a call outside any critical section is cancelled as before", "[effects][critical]") {
  testing::FakeHost host;
  auto run = host.start([](Io& io) -> Task<Json> {
    Effect wait{"mailbox.wait", Json{{"key", "go"}, {"timeoutMs", 60000}}};
    EffectOutcome r = co_await io.perform(std::move(wait));
    co_return r.value;
  });
  host.pump();
  CHECK_FALSE(host.critical(run));
  CHECK(host.cancel(run));
  CHECK(host.live_calls() == 0);
}

TEST_CASE("a trap inside a critical section ends the call with its fallback",
          "[effects][critical]") {
  testing::FakeHost host;
  Json fallback = {{"effects", Json::array()},
                   {"result", {{"kind", "response"}, {"status", 200}, {"body", "fb"}}}};
  auto run = host.start([fallback](Io& io) { return waiting_in_section(io, fallback); });
  host.pump();
  REQUIRE_FALSE(host.done(run));
  host.trap(run);
  REQUIRE(host.done(run));
  CHECK(host.result(run)["body"] == "fb");
  CHECK(host.live_calls() == 0);
}
