// when_all: run several Tasks of one call concurrently and wait for all of them.
//
// Each child runs until it suspends on an effect; the effects of all children reach the
// host in the same Step and are performed in parallel. Results keep the input order.
// If the awaiting call is cancelled, destroying the awaiting frame destroys every child.
#pragma once

#include "effects/task.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace bmcp {
namespace detail {

struct JoinCounter {
  std::size_t remaining = 0;
  coro::coroutine_handle<> parent;
};

// A child runner: awaits one Task, stores its value, and on completion transfers to the
// parent when it is the last child to finish. Owned by JoinState (never self-destroys).
struct JoinChild {
  struct promise_type {
    JoinCounter* counter = nullptr;
    JoinChild get_return_object() noexcept {
      return JoinChild{coro::coroutine_handle<promise_type>::from_promise(*this)};
    }
    coro::suspend_always initial_suspend() noexcept { return {}; }
    struct Final {
      bool await_ready() noexcept { return false; }
      coro::coroutine_handle<> await_suspend(coro::coroutine_handle<promise_type> h) noexcept {
        JoinCounter* c = h.promise().counter;
        if (--c->remaining == 0) return c->parent;
        return coro::noop_coroutine();
      }
      void await_resume() noexcept {}
    };
    Final final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::abort(); }
  };
  coro::coroutine_handle<promise_type> handle;
};

template <class T>
JoinChild run_join_child(Task<T>& task, std::optional<T>& slot) {
  slot.emplace(co_await task);
}

inline JoinChild run_join_child_void(Task<void>& task) { co_await task; }

struct JoinState {
  JoinCounter counter;
  std::vector<JoinChild> children;
  JoinState() = default;
  JoinState(const JoinState&) = delete;
  JoinState& operator=(const JoinState&) = delete;
  ~JoinState() {
    for (auto& c : children)
      if (c.handle) c.handle.destroy();
  }

  struct Awaiter {
    JoinState& state;
    bool await_ready() const noexcept { return state.children.empty(); }
    // Returns false (do not suspend) when every child finished synchronously.
    bool await_suspend(coro::coroutine_handle<> parent) {
      state.counter.parent = parent;
      // One extra count while starting, so no child resumes the parent from inside
      // this loop; the last child to finish later transfers to the parent itself.
      state.counter.remaining = state.children.size() + 1;
      for (auto& c : state.children) c.handle.promise().counter = &state.counter;
      for (auto& c : state.children) c.handle.resume();
      return --state.counter.remaining != 0;
    }
    void await_resume() noexcept {}
  };
};

}  // namespace detail

template <class T>
Task<std::vector<T>> when_all(std::vector<Task<T>> tasks) {
  std::vector<std::optional<T>> slots(tasks.size());
  detail::JoinState state;
  for (std::size_t i = 0; i < tasks.size(); ++i)
    state.children.push_back(detail::run_join_child(tasks[i], slots[i]));
  co_await detail::JoinState::Awaiter{state};
  std::vector<T> out;
  out.reserve(slots.size());
  for (auto& s : slots) out.push_back(std::move(*s));
  co_return out;
}

inline Task<void> when_all(std::vector<Task<void>> tasks) {
  detail::JoinState state;
  for (auto& t : tasks) state.children.push_back(detail::run_join_child_void(t));
  co_await detail::JoinState::Awaiter{state};
}

}  // namespace bmcp
