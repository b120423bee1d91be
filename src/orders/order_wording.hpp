// Orders in plain words, broker-neutral: what the person is asked to confirm (elicitation)
// and what the model is told to show them. A broker module fills an OrderSummary from its
// own order and preview shapes; the wording is the same for every broker.
#pragma once

#include "base/json.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bmcp::orders {

struct OrderLeg {
  std::string instruction;  // broker words, e.g. BUY, SELL_TO_OPEN, "Buy to Open"
  std::string quantity;     // as text: "10", "0.5"
  std::string symbol;
  bool option = false;  // contracts rather than shares
};

struct OrderSummary {
  std::string broker;           // "Schwab"
  std::string action;           // "place" | "replace" | "cancel"
  std::string account_display;  // "Individual-...123"
  std::string order_id;         // the existing order (replace, cancel)
  std::string order_type;       // MARKET, LIMIT, STOP, STOP_LIMIT, NET_DEBIT, NET_CREDIT, ...
  std::string price;            // as text; empty when none
  std::string stop_price;
  std::string duration;  // DAY, GOOD_TILL_CANCEL, ...
  std::string session;   // NORMAL, AM, PM, SEAMLESS
  std::string status;    // the existing order's status (cancel)
  std::vector<OrderLeg> legs;
  // From the broker's preview, when it gave them.
  std::optional<double> order_value;
  std::optional<double> commission_and_fees;
  std::optional<double> buying_power_after;
  std::vector<std::string> warnings;
  std::vector<std::string> rejections;  // the broker says it would reject the order
};

// "Buy 10 shares of AAPL at a limit of $150.00, good for the day."
std::string describe_legs(const OrderSummary& order);
// The whole picture: what, where, the broker's figures, warnings.
std::string describe_order(const OrderSummary& order);
// The question for an elicitation: "Send this order to Schwab? ...".
std::string confirmation_question(const OrderSummary& order);
// The elicitation form: one required boolean `confirm`.
Json confirmation_schema();

// "$1,234.56", "-$0.50"
std::string format_money(double amount);
// 10 -> "10", 0.5 -> "0.5", "150.00" stays as given
std::string number_text(const Json& value);

}  // namespace bmcp::orders
