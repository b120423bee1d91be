// Single-use confirmation tokens for mutating broker calls (the order-safety mechanism of
// orders/mutation_flow.hpp).
//
// A token is issued with a preview and is bound to the person, the broker, the action
// (place / replace / cancel), the account and the exact order (its digest). It is valid
// for 5 minutes and can be used once: the first mutation that presents it with the same
// binding consumes it; any other use is refused. Only the token's SHA-256 is stored
// (order_confirmations), so a database reader cannot use a token.
#pragma once

#include "base/json.hpp"
#include "effects/io.hpp"
#include "effects/task.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace bmcp::orders {

inline constexpr std::int64_t kConfirmationTtlMs = 5 * 60 * 1000;

struct ConfirmationBinding {
  std::string user_id;
  std::string provider;         // "schwab" | "tastytrade"
  std::string action;           // "place" | "replace" | "cancel"
  std::string account_display;  // shown to the person; never an account number
  std::string order_digest;     // order_digest(...) of the exact order
};

struct IssuedConfirmation {
  std::string token;
  std::int64_t expires_at_ms = 0;
};

// Stores a new token with the preview the person was shown (scrubbed JSON). nullopt when
// it could not be stored.
Task<std::optional<IssuedConfirmation>> issue_confirmation(Io& io, ConfirmationBinding binding,
                                                           Json preview);

enum class ConfirmationCheck {
  kConfirmed,  // valid, and now used up
  kUnknown,    // no such token for this person
  kExpired,
  kUsed,      // already used (or used concurrently by another call)
  kMismatch,  // issued for another action, account or order: not consumed
  kStorageError,
};

Task<ConfirmationCheck> consume_confirmation(Io& io, std::string token,
                                             ConfirmationBinding expected);

// Plain words for a refusal, e.g. "This confirmation token has expired (tokens are valid
// for 5 minutes); preview the order again."
std::string explain(ConfirmationCheck check);

}  // namespace bmcp::orders
