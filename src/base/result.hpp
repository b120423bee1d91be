// Result<T, E>: the value a step produced, or the error that stopped it. What a fallible
// step returns instead of a struct of its own with `bool ok` beside members that mean
// something only on one side. Result<T> says why in plain words (a std::string); broker
// steps use upstream::Outcome<T>, whose error is an UpstreamError with an enum code
// (brokers/upstream/upstream_error.hpp).
//
// Guarantee: value() is only reached on success and error() only on failure; asking for the
// other side is a programming error that stops the program (wasm traps), never garbage.
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace bmcp {

template <class T, class E = std::string>
class [[nodiscard]] Result {
 public:
  static Result of(T value) { return Result(std::in_place_index<0>, std::move(value)); }
  static Result failed(E error) { return Result(std::in_place_index<1>, std::move(error)); }

  bool ok() const { return state_.index() == 0; }

  T& value() & { return checked<0>(state_); }
  const T& value() const& { return checked<0>(state_); }
  T&& value() && { return std::move(checked<0>(state_)); }
  E& error() & { return checked<1>(state_); }
  const E& error() const& { return checked<1>(state_); }

 private:
  template <std::size_t I, class... A>
  explicit Result(std::in_place_index_t<I> side, A&&... a) : state_(side, std::forward<A>(a)...) {}

  template <std::size_t I, class State>
  static auto& checked(State& state) {
    if (state.index() != I) std::abort();
    return std::get<I>(state);
  }

  std::variant<T, E> state_;
};

}  // namespace bmcp
