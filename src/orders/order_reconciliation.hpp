// Settling orders whose outcome nobody saw. A journal row stays 'sent' when the call died
// after the mutation may have reached the broker (a trap, a lost instance), and becomes
// 'unknown' when the broker's answer never came. The model was told "the order may have
// been sent: check the orders before retrying"; this is the other half of that promise.
//
// When the person lists their orders (Schwab getOrders, tastytrade get_orders), the rows of
// that person and broker older than kReconcileAfterMs (a live call has finished by then)
// are compared with the orders the broker just listed:
//   place    an order with the same legs (symbol, side, quantity) entered no earlier than
//            kClockSkewMs before the row, not already claimed by another row → 'succeeded'
//            (the order id is recorded); none → 'failed' (it did not reach the broker).
//   cancel   the order named in the row is listed as cancelled → 'succeeded'; listed as
//            still open → 'failed'.
//   replace  the order named in the row is listed as replaced → 'succeeded'; listed as
//            still open → 'failed'.
// A row the list cannot decide (the named order is not in the listed window, or the list
// was not complete for that account) stays as it is and is reported as unsettled. Each
// settled row is marked (result.reconciled = true) and the tool's result says what was
// found, in plain words, so the model can tell the person.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "mcp/catalog.hpp"

#include <string>

namespace bmcp::orders {

inline constexpr std::int64_t kReconcileAfterMs = 2 * 60 * 1000;
inline constexpr std::int64_t kClockSkewMs = 60 * 1000;

// `listed`: the broker's orders as a tool returns them (Schwab's order objects, or
// tastytrade's order views), anywhere under an "orders" array of the value. Answers the
// notes for the tool result: [] when nothing was pending.
Task<Json> reconcile_unsettled_orders(Io& io, std::string user_id, std::string provider,
                                      Json listed);

// Makes the catalog's tool `listing_tool` (the one that lists the broker's orders) settle
// pending rows after each successful listing; its result then carries "unsettledOrders"
// (structured) and a text block with the notes. Nothing changes when nothing is pending.
void settle_orders_when_listed(mcp::Catalog& catalog, const std::string& listing_tool,
                               std::string provider);

}  // namespace bmcp::orders
