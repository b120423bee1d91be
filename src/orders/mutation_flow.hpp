// The one order-safety mechanism every broker uses: a mutating call
// (place, replace, cancel) is sent only when
//   * trading is on (TRADING_MODE is not "disabled") and the grant holds brokerage:trade
//     (McpServer refuses such a tool to a read-only grant; this is the second wall), and
//   * the person confirmed this exact order:
//       - when the client declared form elicitation and this request can reach it, the
//         person is asked, every time, and must accept — even when a confirmation token
//         is given (the token must then still match, and is used up);
//       - only for clients that cannot be asked: the call carries a confirmation token
//         issued for exactly this person, broker, action, account and order, not expired
//         and not used before (consumed now). TRADING_MODE=elicit refuses these clients.
// Otherwise nothing is sent: the result is the preview, a fresh token where one can help,
// and what to do next, in plain words. Every mutation that is sent is journaled before
// and after; when the journal cannot be written nothing is sent. The mutation itself is
// sent exactly once.
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
#include "orders/trading_rules.hpp"

#include <functional>

namespace bmcp::orders {

// Appended to every mutating tool's description: what the host must do before calling it.
inline constexpr const char* kAskThePersonNotice =
    " This changes the person's brokerage account: the host must ask the person before calling it. "
    "When the app supports elicitation the server itself asks the person to confirm the exact "
    "order, "
    "every time, even with a confirmationToken.";

struct PreviewOutcome {
  bool ok = false;
  std::string error;              // plain words when !ok, already scrubbed
  OrderSummary summary;           // what the person is asked about
  Json preview = Json::object();  // the broker's figures, scrubbed (shown and stored)
};

struct MutationOutcome {
  bool ok = false;
  bool outcome_unknown = false;  // no answer: it may or may not have happened
  std::string error;             // plain words when !ok, already scrubbed
  Json result = Json::object();  // e.g. {"orderId": "…", "orderStatus": "WORKING"}, scrubbed
};

struct MutationPlan {
  ConfirmationBinding binding;
  std::string token;        // from the tool call; empty when none was given
  std::string tool_name;    // "placeOrder": for the instructions
  std::string orders_tool;  // "getOrders": where the person sees the broker's orders
  TradingRules rules;
  Json journal_request;  // what is sent, scrubbed
  std::function<Task<PreviewOutcome>()> preview;
  std::function<Task<MutationOutcome>()> send;
};

// What the model is told when the outcome of a mutation is unknown (no answer, or the call
// failed after it may have reached the broker): never "retry".
std::string may_have_been_sent(const std::string& orders_tool);

Task<mcp::ToolResult> run_mutation(mcp::RequestContext& ctx, MutationPlan plan,
                                   const logging::Logger& log);

// The outputSchema of every order tool's answer (run_mutation and preview_result), the
// same for both brokers: whether anything was sent, the status, the summary in words, and
// what to do next; a confirmation token when one was issued; the broker's ids when sent.
Json mutation_output_schema();

// A preview as a tool result. A token bound to `binding` is issued only when it could
// send the order: trading on and not elicit-only, a grant with brokerage:trade, and a
// broker that would accept; the result says how to continue with `confirm_tool`.
Task<mcp::ToolResult> preview_result(mcp::RequestContext& ctx, ConfirmationBinding binding,
                                     PreviewOutcome preview, std::string confirm_tool,
                                     TradingRules rules);

}  // namespace bmcp::orders
