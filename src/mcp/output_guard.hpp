// OutputGuard: the one choke point between everything the server produces and the client
// (and so the model). The dispatcher (server.cpp) passes every tool result (content and
// structuredContent, errors included), every resource read, every prompt, every completion
// and every error message through it, and RequestContext passes every message it sends to
// the client while a request is open (elicitation, sampling, progress, log messages).
//
// The server layer knows no broker: the app provides the guard per catalog, and the guard
// decides per principal what must not be shown (for example the person's account numbers,
// from their cached account map). Tools may clean their own answers too; the guard does not
// rely on it.
//
// Guarantee of an implementation: what `clean` returns holds nothing the guard protects, in
// any spelling it knows; when it cannot make the value safe it returns nullopt and the
// caller shows a plain error instead (never the value).
#pragma once

#include "base/json.hpp"
#include "effects/task.hpp"

#include <optional>

namespace bmcp::mcp {

class RequestContext;

class OutputGuard {
 public:
  virtual ~OutputGuard() = default;
  // `value` made safe to show for the request's principal, or nullopt when it must be
  // withheld.
  virtual Task<std::optional<Json>> clean(RequestContext& context, Json value) const = 0;
};

// Shown instead of an answer the guard withheld.
inline constexpr const char* kWithheldMessage =
    "internal_error: the answer was withheld because it could not be cleaned of account numbers.";

}  // namespace bmcp::mcp
