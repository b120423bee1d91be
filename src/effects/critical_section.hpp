// CriticalSection: a stretch of a call that must not be cancelled and must not be lost.
//
// Some work cannot be abandoned half-way without harm: an order that has reached the broker
// (abandoning it invites a retry that places it twice), or a broker token refresh whose
// rotated refresh token exists only in this call until it is stored. A coroutine opens a
// section for that stretch:
//
//     CriticalSection section(io, fallback);   // fallback: a call result, or null
//     ... co_await the work ...
//                                              // closed when `section` goes out of scope
//
// Guarantees, while at least one section of the call is open:
//  - The call is not cancelled: `Call::cancellable()` is false, bmcp_cancel refuses it and
//    the host's call.cancel reports `cancelled: false`. The call runs to its end and
//    answers normally (MCP basic/utilities/cancellation lets a receiver ignore a
//    cancellation it cannot honour).
//  - Every Step the call yields says so (`"critical": true`) and carries the innermost
//    `fallback`, so the host holds it before it performs any effect of the section. If the
//    call fails anyway (a trap poisons the instance), the host answers with that fallback
//    instead of a generic "internal fault; retry".
// Entering and leaving are synchronous (state in the call's Io, reported with the next
// Step), so a section costs no round trip to the host.
#pragma once

#include "effects/io.hpp"

namespace bmcp {

class CriticalSection {
 public:
  explicit CriticalSection(Io& io, Json fallback = nullptr)
      : io_(io), handle_(io.enter_critical(std::move(fallback))) {}
  ~CriticalSection() { io_.leave_critical(handle_); }
  CriticalSection(const CriticalSection&) = delete;
  CriticalSection& operator=(const CriticalSection&) = delete;

 private:
  Io& io_;
  std::uint32_t handle_;
};

}  // namespace bmcp
