// Task<T>: the lazily started coroutine every asynchronous function in the core returns.
//
// Guarantees:
//  - Lazy: nothing runs until the Task is awaited (or started by the call driver).
//  - Symmetric transfer: finishing a Task resumes its awaiter without growing the stack.
//  - Ownership: a Task owns its frame. Destroying a Task destroys its frame, and with it
//    every Task that frame was awaiting, so cancelling a call (destroying its root Task)
//    releases every frame of that call. Nothing is leaked or resumed after destruction.
#pragma once

#include "base/coroutine.hpp"

#include <cstdlib>
#include <optional>
#include <utility>

namespace bmcp {

template <class T>
class Task;

namespace detail {

struct TaskPromiseBase {
  coro::coroutine_handle<> continuation;

  coro::suspend_always initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class Promise>
    coro::coroutine_handle<> await_suspend(coro::coroutine_handle<Promise> self) noexcept {
      auto next = self.promise().continuation;
      if (next) return next;
      return coro::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }

  // The core is built without exceptions; anything reaching here is a bug.
  void unhandled_exception() noexcept { std::abort(); }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
 public:
  struct promise_type : detail::TaskPromiseBase {
    std::optional<T> value;
    Task get_return_object() noexcept {
      return Task(coro::coroutine_handle<promise_type>::from_promise(*this));
    }
    template <class U>
    void return_value(U&& v) {
      value.emplace(std::forward<U>(v));
    }
  };

  Task() = default;
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  // Awaiting a Task starts it and resumes the awaiter when it completes.
  bool await_ready() const noexcept { return !handle_ || handle_.done(); }
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<> awaiter) noexcept {
    handle_.promise().continuation = awaiter;
    return handle_;
  }
  T await_resume() { return std::move(*handle_.promise().value); }

  // For the call driver, which runs a root Task without awaiting it.
  void start() { handle_.resume(); }
  bool done() const noexcept { return handle_ && handle_.done(); }
  T& result() { return *handle_.promise().value; }
  explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

 private:
  explicit Task(coro::coroutine_handle<promise_type> h) : handle_(h) {}
  void reset() {
    if (handle_) handle_.destroy();
    handle_ = nullptr;
  }
  coro::coroutine_handle<promise_type> handle_;
};

// A Task with no value.
struct Unit {};

template <>
class [[nodiscard]] Task<void> {
 public:
  struct promise_type : detail::TaskPromiseBase {
    Task get_return_object() noexcept {
      return Task(coro::coroutine_handle<promise_type>::from_promise(*this));
    }
    void return_void() noexcept {}
  };

  Task() = default;
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();
  }

  bool await_ready() const noexcept { return !handle_ || handle_.done(); }
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<> awaiter) noexcept {
    handle_.promise().continuation = awaiter;
    return handle_;
  }
  void await_resume() noexcept {}

  void start() { handle_.resume(); }
  bool done() const noexcept { return handle_ && handle_.done(); }

 private:
  explicit Task(coro::coroutine_handle<promise_type> h) : handle_(h) {}
  coro::coroutine_handle<promise_type> handle_;
};

}  // namespace bmcp
