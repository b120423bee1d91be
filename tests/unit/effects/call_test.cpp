// The call driver and coroutine runtime: effects leave as values, outcomes come back,
// siblings run concurrently, and nothing survives a finished or cancelled call.
#include <catch2/catch.hpp>

#include "effects/call.hpp"
#include "effects/when_all.hpp"
#include "support/allocation_counter.hpp"
#include "support/openssl_crypto.hpp"

using namespace bmcp;

namespace {

testing::OpenSslCrypto crypto;

Task<std::string> fetch_one(Io& io, std::string key) {
  // Effects are built before the co_await: GCC 12 mishandles non-trivial temporaries
  // inside a co_await expression (they may be destroyed twice).
  Effect effect{"kv.get", Json{{"key", key}}};
  EffectOutcome r = co_await io.perform(std::move(effect));
  if (!r.ok) co_return "error:" + r.error_code;
  co_return get_string(r.value, "value").value_or("null");
}

Task<Json> two_in_parallel(Io& io) {
  std::vector<Task<std::string>> tasks;
  tasks.push_back(fetch_one(io, "a"));
  tasks.push_back(fetch_one(io, "b"));
  std::vector<std::string> values = co_await when_all(std::move(tasks));
  co_return Json{{"a", values[0]}, {"b", values[1]}};
}

Task<Json> nested_chain(Io& io, int depth) {
  if (depth == 0) {
    std::string v = co_await fetch_one(io, "leaf");
    co_return Json(v);
  }
  Json inner = co_await nested_chain(io, depth - 1);
  co_return inner;
}

EffectOutcome value(std::string v) { return EffectOutcome::success({{"value", std::move(v)}}); }

}  // namespace

TEST_CASE("a call suspends on an effect and resumes with its outcome", "[effects]") {
  Call call(crypto, 1000, [](Io& io) -> Task<Json> {
    std::string v = co_await fetch_one(io, "k");
    co_return Json{{"got", v}, {"now", io.now_ms()}};
  });
  Step s = call.start();
  REQUIRE(s.state == Step::State::Blocked);
  REQUIRE(s.effects.size() == 1);
  CHECK(s.effects[0].effect.kind == "kv.get");
  CHECK(s.effects[0].effect.args["key"] == "k");

  SECTION("success outcome") {
    Step done = call.resume(2000, {{s.effects[0].id, value("v1")}});
    REQUIRE(done.state == Step::State::Done);
    CHECK(done.result["got"] == "v1");
    CHECK(done.result["now"] == 2000);  // the clock is the host's, per resume
  }
  SECTION("failure outcome is data, not a crash") {
    Step done = call.resume(2000, {{s.effects[0].id, EffectOutcome::failure("network", "down")}});
    REQUIRE(done.state == Step::State::Done);
    CHECK(done.result["got"] == "error:network");
  }
  SECTION("unknown and duplicate ids are ignored") {
    Step still = call.resume(2000, {{999, value("x")}});
    CHECK(still.state == Step::State::Blocked);
    CHECK(still.effects.empty());
    Step done = call.resume(2000, {{s.effects[0].id, value("v")}, {s.effects[0].id, value("w")}});
    REQUIRE(done.state == Step::State::Done);
    CHECK(done.result["got"] == "v");
  }
}

TEST_CASE("when_all hands every child's effect to the host in one step", "[effects]") {
  Call call(crypto, 0, [](Io& io) { return two_in_parallel(io); });
  Step s = call.start();
  REQUIRE(s.state == Step::State::Blocked);
  REQUIRE(s.effects.size() == 2);

  SECTION("outcomes delivered out of order, one at a time") {
    Step mid = call.resume(1, {{s.effects[1].id, value("B")}});
    CHECK(mid.state == Step::State::Blocked);
    Step done = call.resume(2, {{s.effects[0].id, value("A")}});
    REQUIRE(done.state == Step::State::Done);
    CHECK(done.result == Json{{"a", "A"}, {"b", "B"}});
  }
  SECTION("outcomes delivered together") {
    Step done = call.resume(1, {{s.effects[0].id, value("A")}, {s.effects[1].id, value("B")}});
    REQUIRE(done.state == Step::State::Done);
    CHECK(done.result == Json{{"a", "A"}, {"b", "B"}});
  }
}

TEST_CASE("perform_all emits several effects at once and returns outcomes in order", "[effects]") {
  Call call(crypto, 0, [](Io& io) -> Task<Json> {
    std::vector<Effect> effects;
    effects.push_back({"kv.get", Json{{"key", "x"}}});
    effects.push_back({"kv.get", Json{{"key", "y"}}});
    auto outcomes = co_await io.perform_all(std::move(effects));
    co_return Json{outcomes[0].value["value"], outcomes[1].value["value"]};
  });
  Step s = call.start();
  REQUIRE(s.effects.size() == 2);
  Step done = call.resume(0, {{s.effects[1].id, value("Y")}, {s.effects[0].id, value("X")}});
  REQUIRE(done.state == Step::State::Done);
  CHECK(done.result == Json{"X", "Y"});
}

TEST_CASE("two calls stay suspended at once and complete out of order", "[effects]") {
  Call first(crypto, 0, [](Io& io) -> Task<Json> { co_return Json(co_await fetch_one(io, "1")); });
  Call second(crypto, 0, [](Io& io) -> Task<Json> { co_return Json(co_await fetch_one(io, "2")); });
  Step s1 = first.start();
  Step s2 = second.start();
  REQUIRE(s1.state == Step::State::Blocked);
  REQUIRE(s2.state == Step::State::Blocked);
  Step d2 = second.resume(1, {{s2.effects[0].id, value("two")}});
  REQUIRE(d2.state == Step::State::Done);
  CHECK(d2.result == "two");
  Step d1 = first.resume(2, {{s1.effects[0].id, value("one")}});
  REQUIRE(d1.state == Step::State::Done);
  CHECK(d1.result == "one");
}

TEST_CASE("deep await chains complete without growing the stack", "[effects]") {
  Call call(crypto, 0, [](Io& io) { return nested_chain(io, 2000); });
  Step s = call.start();
  REQUIRE(s.effects.size() == 1);
  Step done = call.resume(0, {{s.effects[0].id, value("deep")}});
  REQUIRE(done.state == Step::State::Done);
  CHECK(done.result == "deep");
}

// Live allocations are measured inside each SECTION: Catch2 itself allocates while it
// tracks sections, and that must not count against the call.
TEST_CASE("no coroutine frame outlives its call", "[effects][leak]") {
  SECTION("a call that finishes") {
    const long before = testing::live_allocations();
    {
      Call call(crypto, 0, [](Io& io) { return two_in_parallel(io); });
      Step s = call.start();
      Step done = call.resume(0, {{s.effects[0].id, value("A")}, {s.effects[1].id, value("B")}});
      REQUIRE(done.state == Step::State::Done);
    }
    const long after = testing::live_allocations();
    CHECK(after == before);
  }
  SECTION("a call cancelled while children are suspended") {
    const long before = testing::live_allocations();
    bool blocked = false;
    {
      Call call(crypto, 0, [](Io& io) { return two_in_parallel(io); });
      Step s = call.start();
      blocked = s.state == Step::State::Blocked;
      call.resume(0, {{s.effects[0].id, value("A")}});  // one child done, one suspended
    }  // destroying the Call is what bmcp_cancel does
    const long after = testing::live_allocations();
    CHECK(blocked);
    CHECK(after == before);
  }
  SECTION("a call cancelled in a deep chain") {
    const long before = testing::live_allocations();
    {
      Call call(crypto, 0, [](Io& io) { return nested_chain(io, 50); });
      Step s = call.start();
      (void)s;
    }
    const long after = testing::live_allocations();
    CHECK(after == before);
  }
}

TEST_CASE("a call that waits for nothing is reported, not hung", "[effects]") {
  struct Never {
    bool await_ready() const noexcept { return false; }
    void await_suspend(coro::coroutine_handle<>) const noexcept {}
    void await_resume() const noexcept {}
  };
  Call call(crypto, 0, [](Io&) -> Task<Json> {
    co_await Never{};
    co_return Json();
  });
  Step s = call.start();
  CHECK(s.state == Step::State::Failed);
}
