// The order tools every broker offers — one preview and, when trading is on, place,
// replace and cancel — declared and run the same way for each: the broker module supplies
// its names, schemas and words (OrderToolSpec) and, per call, what it does at its broker
// (OrderDesk); everything else is here, once.
//
// Guarantees: every mutation tool needs brokerage:trade, is marked destructive, tells the
// model to ask the person, and goes through one confirmation flow (mutation_flow.hpp) with
// the call's journal entry scrubbed; a preview is read-only and idempotent. Every order tool
// runs in the session object (a preview says whether the person will be asked, which only
// the object can do). An order whose outcome was unknown is settled when the person next
// lists their orders (order_reconciliation.hpp).
#pragma once

#include "base/json.hpp"
#include "mcp/catalog.hpp"
#include "orders/confirmation.hpp"
#include "orders/mutation_flow.hpp"
#include "orders/trading_rules.hpp"

#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace bmcp::orders {

// A JSON Schema object with exactly these properties, these of them required.
Json object_schema(std::initializer_list<std::pair<const char*, Json>> properties,
                   std::initializer_list<const char*> required);

// One order tool as a broker names and describes it; action is preview, place, replace or cancel.
struct OrderToolSpec {
  std::string name;
  std::string title;
  std::string description;
  Json input_schema;
  std::string action;
};

// The tool names the flow speaks of in its instructions.
struct OrderToolNames {
  std::string place;    // "placeOrder"
  std::string replace;  // "replaceOrder"
  std::string cancel;   // "cancelOrder"
  std::string orders;   // "getOrders": where the person sees the broker's orders
};

// What one call of an order tool does at its broker, for the account and order it names.
// `kind` is place, replace or cancel.
struct OrderDesk {
  std::string account;   // the account's display name
  std::string order_id;  // the order replaced or cancelled; empty for a new order
  Json order;            // the order as it would be sent (null for a cancel)
  std::function<ConfirmationBinding(const std::string& kind)> binding;
  std::function<Task<PreviewOutcome>(const std::string& kind)> preview;
  std::function<Task<MutationOutcome>(const std::string& kind)> send;
  std::function<Json(const Json&)> scrub;
};

// Runs one order tool call: a preview answers with the preview (and a token when it could
// send); a mutation goes through the confirmation flow. `desk` belongs to the caller, who
// awaits this (its functions point into the caller's frame).
Task<mcp::ToolResult> run_order_tool(mcp::RequestContext& ctx, std::string action,
                                     std::string confirmation_token, const OrderDesk& desk,
                                     OrderToolNames names, TradingRules rules,
                                     const logging::Logger& log);

using OrderToolHandler =
    std::function<Task<mcp::ToolResult>(mcp::RequestContext&, const Json&, std::string action)>;

// Adds the tools to the catalog with their annotations and scope, and the settling of
// unknown outcomes on `names.orders`, for `provider`.
void add_order_tool_definitions(mcp::Catalog& catalog, std::vector<OrderToolSpec> specs,
                                OrderToolHandler handler, const OrderToolNames& names,
                                std::string provider);

}  // namespace bmcp::orders
