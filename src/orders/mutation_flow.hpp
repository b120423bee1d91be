// The one order-safety mechanism every broker uses (DESIGN.md §5): a mutating call
// (place, replace, cancel) is sent only when
//   * the tool call carries a confirmation token issued for exactly this person, broker,
//     action, account and order, not expired and not used before (consumed now), or
//   * no token was given, the client supports elicitation, and the person accepts the
//     order shown to them in plain words.
// Otherwise nothing is sent: the result is the preview, a fresh token, and what to do
// next. Every mutation that is sent is journaled before and after; when the journal
// cannot be written nothing is sent. The mutation itself is sent exactly once.
//
// From the journal write on, the call is in a critical section (effects/critical_section.hpp):
// it cannot be cancelled, and if it fails anyway (a trap) the host answers the fallback the
// flow registered before sending: a tool error saying the order may have been sent and the
// person must check the broker's orders before retrying. An answer that never came says
// the same. A row a failed call left 'sent' is settled later (orders/order_reconciliation.hpp).
//
// A broker module provides the two broker-specific steps as callbacks (preview: what
// would happen, read-only; send: the mutation) and everything else is here.
#pragma once

#include "logging/logger.hpp"
#include "mcp/catalog.hpp"
#include "orders/confirmation.hpp"
#include "orders/order_wording.hpp"

#include <functional>

namespace bmcp::orders {

struct PreviewOutcome {
  bool ok = false;
  std::string error;             // plain words when !ok, already scrubbed
  OrderSummary summary;          // what the person is asked about
  Json preview = Json::object(); // the broker's figures, scrubbed (shown and stored)
};

struct MutationOutcome {
  bool ok = false;
  bool outcome_unknown = false;  // no answer: it may or may not have happened
  std::string error;             // plain words when !ok, already scrubbed
  Json result = Json::object();  // e.g. {"orderId": "…", "orderStatus": "WORKING"}, scrubbed
};

struct MutationPlan {
  ConfirmationBinding binding;
  std::string token;           // from the tool call; empty when none was given
  std::string tool_name;       // "placeOrder": for the instructions
  std::string orders_tool;     // "getOrders": where the person sees the broker's orders
  Json journal_request;        // what is sent, scrubbed
  std::function<Task<PreviewOutcome>()> preview;
  std::function<Task<MutationOutcome>()> send;
};

// What the model is told when the outcome of a mutation is unknown (no answer, or the call
// failed after it may have reached the broker): never "retry".
std::string may_have_been_sent(const std::string& orders_tool);

Task<mcp::ToolResult> run_mutation(mcp::RequestContext& ctx, MutationPlan plan, const logging::Logger& log);

// A preview as a tool result; with `issue_token` (trading enabled, broker would accept) a
// token bound to `binding` is issued and the result says how to use it with `confirm_tool`.
Task<mcp::ToolResult> preview_result(Io& io, ConfirmationBinding binding, PreviewOutcome preview,
                                     std::string confirm_tool, bool issue_token);

}  // namespace bmcp::orders
