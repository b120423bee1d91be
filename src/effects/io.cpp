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

std::uint32_t Io::enter_critical(Json fallback) {
  std::uint32_t id = next_section_++;
  sections_.emplace(id, std::move(fallback));
  return id;
}

void Io::leave_critical(std::uint32_t section) { sections_.erase(section); }

const Json& Io::critical_fallback() const {
  static const Json none;
  for (auto it = sections_.rbegin(); it != sections_.rend(); ++it)
    if (!it->second.is_null()) return it->second;
  return none;
}

}  // namespace bmcp
