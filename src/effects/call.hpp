// Call: one request (or Durable Object event, queue batch, workflow step) in flight.
//
// The driver owns the Io and the root Task. `start()` runs the root until it completes
// or suspends on effects; `resume()` delivers outcomes and runs again. Each returns a
// Step: done with the root's result, or blocked on the effects the host must perform.
// Destroying a Call (completion or cancellation) destroys every frame it created; a call
// inside a critical section is not cancellable (`cancellable()`), and its Steps say so.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace bmcp {

struct Step {
  enum class State { Blocked, Done, Failed };
  State state = State::Failed;
  std::vector<RequestedEffect> effects;  // Blocked
  bool critical = false;                 // Blocked: inside a critical section (not cancellable)
  Json fallback;                         // Blocked, critical: what to answer if the call fails
  Json result;                           // Done
  std::string error;                     // Failed: a bug (a call that can never finish)
};

struct DeliveredOutcome {
  std::uint32_t id;
  EffectOutcome outcome;
};

class Call {
 public:
  using Body = std::function<Task<Json>(Io&)>;

  Call(const CryptoPort& crypto, std::int64_t now_ms, const Body& body);
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  Step start();
  Step resume(std::int64_t now_ms, std::vector<DeliveredOutcome> outcomes);
  // False while the call is inside a critical section (effects/critical_section.hpp): it
  // must then run to its end, so whoever wants to cancel it must not destroy it.
  bool cancellable() const { return !io_->in_critical_section(); }

 private:
  Step next_step();
  std::unique_ptr<Io> io_;  // stable address: coroutines hold a reference to it
  Task<Json> root_;
};

}  // namespace bmcp
