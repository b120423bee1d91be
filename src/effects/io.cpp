#include "effects/io.hpp"

namespace bmcp {

void Io::enqueue(Effect effect, EffectOutcome* slot, std::size_t* remaining,
                 coro::coroutine_handle<> h) {
  std::uint32_t id = next_id_++;
  requested_.push_back({id, std::move(effect)});
  waiting_.emplace(id, Waiter{slot, remaining, h});
}

std::vector<RequestedEffect> Io::take_requested() {
  std::vector<RequestedEffect> out;
  out.swap(requested_);
  return out;
}

coro::coroutine_handle<> Io::deliver(std::uint32_t id, EffectOutcome outcome) {
  auto it = waiting_.find(id);
  if (it == waiting_.end()) return nullptr;  // unknown or already delivered: ignored
  Waiter w = it->second;
  waiting_.erase(it);
  *w.slot = std::move(outcome);
  if (--*w.remaining == 0) return w.handle;
  return nullptr;
}

}  // namespace bmcp
