// Schwab orders for the order-safety mechanism: an OrderRequest or Order in plain words
// (orders::OrderSummary), the figures of a PreviewOrder answer (value, commission and fees,
// buying power afterwards, Schwab's warnings and rejections), a compact view of that
// answer, and the new order id from the Location header of a 201.
#pragma once

#include "base/json.hpp"
#include "orders/order_wording.hpp"

#include <string>
#include <string_view>

namespace bmcp::schwab {

// Legs, type, prices, duration and session of an OrderRequest (or a GET order answer).
// Attached child orders (OCO, TRIGGER) are listed among the warnings so the person sees them.
orders::OrderSummary order_summary(const Json& order);

// Adds the PreviewOrder answer's figures, warnings and rejections.
void add_preview(orders::OrderSummary& summary, const Json& preview);

// What the model sees of a PreviewOrder answer: status, value, commission and fees,
// projected balances, legs with quotes, and Schwab's validation messages.
Json preview_view(const Json& preview);

// ".../accounts/<hash>/orders/1000454139831" -> "1000454139831"; empty when absent.
std::string order_id_from_location(std::string_view location);

}  // namespace bmcp::schwab
