// Io: what a running call uses to perform effects, and what the call driver uses to
// hand effects to the host and outcomes back.
//
// A coroutine writes `EffectOutcome r = co_await io.perform(effect);` and is suspended
// until the host delivers the outcome. Everything awaited before the call yields back to
// the host — several effects from `perform_all`, or from sibling tasks under `when_all` —
// is handed over in one Step, so the host performs them in parallel.
//
// Io also carries the call's clock: `now_ms()` is the host's time at the latest start or
// resume (the core has no clock of its own), and the crypto port for primitives.
//
// And the call's critical sections (effects/critical_section.hpp): while one is open the
// call must not be cancelled, and the host knows what to answer if the call fails anyway.
#pragma once

#include "base/coroutine.hpp"
#include "crypto/crypto_port.hpp"
#include "effects/effect.hpp"

#include <cstdint>
#include <map>
#include <vector>

namespace bmcp {

struct RequestedEffect {
  std::uint32_t id;
  Effect effect;
};

class Io {
 public:
  Io(const CryptoPort& crypto, std::int64_t now_ms) : crypto_(crypto), now_ms_(now_ms) {}
  Io(const Io&) = delete;
  Io& operator=(const Io&) = delete;

  // Awaitable for one effect.
  class SingleAwaiter {
   public:
    SingleAwaiter(Io& io, Effect effect) : io_(io), effect_(std::move(effect)) {}
    bool await_ready() const noexcept { return false; }
    void await_suspend(coro::coroutine_handle<> h) {
      io_.enqueue(std::move(effect_), &outcome_, &remaining_, h);
    }
    EffectOutcome await_resume() { return std::move(outcome_); }

   private:
    Io& io_;
    Effect effect_;
    EffectOutcome outcome_;
    std::size_t remaining_ = 1;
  };

  // Awaitable for several effects performed in parallel; outcomes in the same order.
  class AllAwaiter {
   public:
    AllAwaiter(Io& io, std::vector<Effect> effects)
        : io_(io), effects_(std::move(effects)), outcomes_(effects_.size()) {}
    bool await_ready() const noexcept { return effects_.empty(); }
    void await_suspend(coro::coroutine_handle<> h) {
      remaining_ = effects_.size();
      for (std::size_t i = 0; i < effects_.size(); ++i)
        io_.enqueue(std::move(effects_[i]), &outcomes_[i], &remaining_, h);
    }
    std::vector<EffectOutcome> await_resume() { return std::move(outcomes_); }

   private:
    Io& io_;
    std::vector<Effect> effects_;
    std::vector<EffectOutcome> outcomes_;
    std::size_t remaining_ = 0;
  };

  SingleAwaiter perform(Effect effect) { return SingleAwaiter(*this, std::move(effect)); }
  AllAwaiter perform_all(std::vector<Effect> effects) {
    return AllAwaiter(*this, std::move(effects));
  }

  std::int64_t now_ms() const { return now_ms_; }
  const CryptoPort& crypto() const { return crypto_; }

  // ---- critical sections (use CriticalSection, not these directly) -------------------
  // Opens a section; `fallback` (a call result, or null for none) is what the host answers
  // if the call fails inside it. Returns the section's handle for leave_critical.
  std::uint32_t enter_critical(Json fallback);
  void leave_critical(std::uint32_t section);
  bool in_critical_section() const { return !sections_.empty(); }
  // The fallback of the innermost open section that has one; null when none.
  const Json& critical_fallback() const;

  // ---- driver side ---------------------------------------------------------------
  void set_now_ms(std::int64_t now) { now_ms_ = now; }
  // Effects requested since the last call, in request order; they are now in flight.
  std::vector<RequestedEffect> take_requested();
  // Records an outcome. Returns the coroutine to resume if this outcome was the last
  // one it waited for; a null handle otherwise (or for an unknown / duplicate id).
  coro::coroutine_handle<> deliver(std::uint32_t id, EffectOutcome outcome);
  std::size_t in_flight() const { return waiting_.size(); }
  bool has_requested() const { return !requested_.empty(); }

 private:
  struct Waiter {
    EffectOutcome* slot;
    std::size_t* remaining;
    coro::coroutine_handle<> handle;
  };
  void enqueue(Effect effect, EffectOutcome* slot, std::size_t* remaining,
               coro::coroutine_handle<> h);

  const CryptoPort& crypto_;
  std::int64_t now_ms_;
  std::uint32_t next_id_ = 1;
  std::vector<RequestedEffect> requested_;
  std::map<std::uint32_t, Waiter> waiting_;
  // Open critical sections by handle (handles increase, so the last one is the innermost;
  // sibling tasks may close theirs in any order).
  std::map<std::uint32_t, Json> sections_;
  std::uint32_t next_section_ = 1;
};

}  // namespace bmcp
