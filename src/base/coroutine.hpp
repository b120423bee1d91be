// One spelling of the C++20 coroutine library for both compilers the core is built with:
// g++ 12 ships <coroutine>, while Emscripten 3.1.6's libc++ still has only
// <experimental/coroutine>. Everything else in src/ names `bmcp::coro::*`.
#pragma once

#if __has_include(<coroutine>)
#include <coroutine>
namespace bmcp::coro {
using std::coroutine_handle;
using std::noop_coroutine;
using std::suspend_always;
using std::suspend_never;
}  // namespace bmcp::coro
#else
#include <experimental/coroutine>
namespace bmcp::coro {
using std::experimental::coroutine_handle;
using std::experimental::noop_coroutine;
using std::experimental::suspend_always;
using std::experimental::suspend_never;
}  // namespace bmcp::coro
#endif
