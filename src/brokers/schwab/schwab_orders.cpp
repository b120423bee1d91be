#include "brokers/schwab/schwab_orders.hpp"

#include <cmath>

namespace bmcp::schwab {
namespace {

std::string text_of(const Json& o, std::string_view key) {
  const Json* v = find_member(o, key);
  return v ? orders::number_text(*v) : std::string();
}

std::optional<double> number_of(const Json& o, std::string_view key) {
  auto v = get_number(o, key);
  if (v && std::isfinite(*v)) return v;
  return std::nullopt;
}

// Sums every `value` in items[*].<inner>[*] (commissionLegs[].commissionValues[]).
double sum_values(const Json* legs, std::string_view inner, bool& any) {
  double total = 0;
  if (!legs || !legs->is_array()) return 0;
  for (const Json& leg : *legs) {
    const Json* values = find_member(leg, inner);
    if (!values || !values->is_array()) continue;
    for (const Json& v : *values)
      if (auto x = get_number(v, "value"); x && std::isfinite(*x)) total += *x, any = true;
  }
  return total;
}

void collect_messages(const Json* list, std::vector<std::string>& out) {
  if (!list || !list->is_array()) return;
  for (const Json& item : *list) {
    std::string m =
        get_string(item, "message").value_or(get_string(item, "activityMessage").value_or(""));
    if (m.empty()) m = get_string(item, "validationRuleName").value_or("");
    if (!m.empty() && out.size() < 10) out.push_back(m.substr(0, 300));
  }
}

}  // namespace

orders::OrderSummary order_summary(const Json& order) {
  orders::OrderSummary s;
  s.broker = "Schwab";
  s.order_type = get_string(order, "orderType").value_or("");
  s.price = text_of(order, "price");
  s.stop_price = text_of(order, "stopPrice");
  s.duration = get_string(order, "duration").value_or("");
  s.session = get_string(order, "session").value_or("");
  s.status = get_string(order, "status").value_or("");
  if (const Json* legs = find_member(order, "orderLegCollection"); legs && legs->is_array()) {
    for (const Json& leg : *legs) {
      orders::OrderLeg l;
      l.instruction = get_string(leg, "instruction").value_or("");
      l.quantity = text_of(leg, "quantity");
      if (const Json* inst = find_member(leg, "instrument")) {
        l.symbol = get_string(*inst, "symbol").value_or("");
        l.option = get_string(*inst, "assetType").value_or("") == "OPTION";
      }
      s.legs.push_back(std::move(l));
    }
  }
  if (const Json* children = find_member(order, "childOrderStrategies");
      children && children->is_array()) {
    for (const Json& child : *children) {
      orders::OrderSummary c = order_summary(child);
      s.warnings.push_back("it carries an attached order: " + orders::describe_legs(c));
    }
  }
  return s;
}

void add_preview(orders::OrderSummary& s, const Json& preview) {
  const Json* strategy = find_member(preview, "orderStrategy");
  const Json* balance = strategy ? find_member(*strategy, "orderBalance") : nullptr;
  if (balance) {
    s.order_value = number_of(*balance, "orderValue");
    s.buying_power_after = number_of(*balance, "projectedBuyingPower");
  }
  if (!s.order_value && strategy) s.order_value = number_of(*strategy, "orderValue");
  bool any = false;
  double total = 0;
  if (const Json* cf = find_member(preview, "commissionAndFee")) {
    if (const Json* c = find_member(*cf, "commission"))
      total += sum_values(find_member(*c, "commissionLegs"), "commissionValues", any);
    if (const Json* f = find_member(*cf, "fee"))
      total += sum_values(find_member(*f, "feeLegs"), "feeValues", any);
  }
  if (any) s.commission_and_fees = std::round(total * 100) / 100;
  else if (balance) s.commission_and_fees = number_of(*balance, "projectedCommission");
  if (const Json* v = find_member(preview, "orderValidationResult")) {
    collect_messages(find_member(*v, "warns"), s.warnings);
    collect_messages(find_member(*v, "alerts"), s.warnings);
    collect_messages(find_member(*v, "reviews"), s.warnings);
    collect_messages(find_member(*v, "rejects"), s.rejections);
  }
}

Json preview_view(const Json& preview) {
  Json out = Json::object();
  const Json* strategy = find_member(preview, "orderStrategy");
  if (strategy && strategy->is_object()) {
    for (const char* k : {"status", "orderType", "price", "quantity", "duration", "session",
                          "strategy", "orderValue"})
      if (const Json* v = find_member(*strategy, k)) out[k] = *v;
    if (const Json* b = find_member(*strategy, "orderBalance")) out["orderBalance"] = *b;
    if (const Json* legs = find_member(*strategy, "orderLegs")) out["legs"] = *legs;
  }
  orders::OrderSummary figures;
  add_preview(figures, preview);
  if (figures.commission_and_fees) out["commissionAndFees"] = *figures.commission_and_fees;
  if (const Json* v = find_member(preview, "orderValidationResult")) {
    Json validation = Json::object();
    for (const char* k : {"rejects", "warns", "alerts", "reviews", "accepts"}) {
      std::vector<std::string> messages;
      collect_messages(find_member(*v, k), messages);
      if (!messages.empty()) validation[k] = messages;
    }
    out["validation"] = std::move(validation);
  }
  return out;
}

std::string order_id_from_location(std::string_view location) {
  while (!location.empty() && location.back() == '/') location.remove_suffix(1);
  auto q = location.find_first_of("?#");
  if (q != std::string_view::npos) location = location.substr(0, q);
  auto slash = location.rfind('/');
  std::string_view last = slash == std::string_view::npos ? location : location.substr(slash + 1);
  if (last.empty() || last.size() > 24) return "";
  for (char c : last)
    if (c < '0' || c > '9') return "";
  auto orders_pos = location.rfind("/orders/");
  if (orders_pos == std::string_view::npos || orders_pos + 8 != slash + 1) return "";
  return std::string(last);
}

}  // namespace bmcp::schwab
