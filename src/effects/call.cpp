#include "effects/call.hpp"

namespace bmcp {

Call::Call(const CryptoPort& crypto, std::int64_t now_ms, const Body& body)
    : io_(std::make_unique<Io>(crypto, now_ms)), root_(body(*io_)) {}

Step Call::start() {
  root_.start();
  return next_step();
}

Step Call::resume(std::int64_t now_ms, std::vector<DeliveredOutcome> outcomes) {
  io_->set_now_ms(now_ms);
  // Record every outcome first, then resume waiters in delivery order: a waiter that
  // needed several outcomes (perform_all) is resumed once, when its last one arrives.
  std::vector<coro::coroutine_handle<>> ready;
  for (auto& o : outcomes) {
    if (auto h = io_->deliver(o.id, std::move(o.outcome))) ready.push_back(h);
  }
  for (auto h : ready) {
    if (root_.done()) break;
    h.resume();
  }
  return next_step();
}

Step Call::next_step() {
  Step step;
  if (root_.done()) {
    step.state = Step::State::Done;
    step.result = std::move(root_.result());
    return step;
  }
  step.effects = io_->take_requested();
  if (step.effects.empty() && io_->in_flight() == 0) {
    step.state = Step::State::Failed;
    step.error = "call is suspended but waits for no effect";
    return step;
  }
  step.state = Step::State::Blocked;
  if (io_->in_critical_section()) {
    step.critical = true;
    step.fallback = io_->critical_fallback();
  }
  return step;
}

}  // namespace bmcp
