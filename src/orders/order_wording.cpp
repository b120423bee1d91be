#include "orders/order_wording.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace bmcp::orders {
namespace {

std::string words(std::string_view code) {
  std::string out;
  for (char c : code) {
    char l = c == '_' ? ' ' : (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    out.push_back(l);
  }
  return out;
}

std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string money_text(const std::string& price) {
  char* end = nullptr;
  double v = std::strtod(price.c_str(), &end);
  if (price.empty() || !end || *end != '\0' || !std::isfinite(v)) return price;
  return format_money(v);
}

std::string leg_text(const OrderLeg& leg) {
  bool one = leg.quantity == "1";
  std::string unit = leg.option ? (one ? "contract" : "contracts") : (one ? "share" : "shares");
  return words(leg.instruction) + " " + leg.quantity + " " + unit + " of " + leg.symbol;
}

std::string price_text(const OrderSummary& o) {
  const std::string& t = o.order_type;
  std::string p = money_text(o.price), s = money_text(o.stop_price);
  if (t == "MARKET") return "at the market price";
  if (t == "LIMIT") return "at a limit of " + p;
  if (t == "STOP") return "with a stop at " + s;
  if (t == "STOP_LIMIT") return "with a stop at " + s + " and a limit of " + p;
  if (t == "NET_DEBIT") return "for a net debit of " + p;
  if (t == "NET_CREDIT") return "for a net credit of " + p;
  if (t == "NET_ZERO") return "for even money";
  if (t == "MARKET_ON_CLOSE") return "at the market price on the close";
  if (t == "LIMIT_ON_CLOSE") return "at a limit of " + p + " on the close";
  std::string out = "as a " + words(t) + " order";
  if (!o.price.empty()) out += " at " + p;
  if (!o.stop_price.empty()) out += " (stop " + s + ")";
  return out;
}

std::string duration_text(const std::string& d) {
  if (d == "DAY") return "good for the day";
  if (d == "GOOD_TILL_CANCEL") return "good till cancelled";
  if (d == "FILL_OR_KILL") return "fill or kill";
  if (d == "IMMEDIATE_OR_CANCEL") return "immediate or cancel";
  return words(d);
}

std::string session_text(const std::string& s) {
  if (s == "AM") return "in the pre-market session";
  if (s == "PM") return "in the after-hours session";
  if (s == "SEAMLESS") return "in all sessions";
  return "";
}

}  // namespace

std::string format_money(double amount) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", std::fabs(amount));
  std::string digits(buf);
  auto dot = digits.find('.');
  std::string whole = digits.substr(0, dot), grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i && (whole.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(whole[i]);
  }
  return std::string(amount < 0 && std::fabs(amount) >= 0.005 ? "-$" : "$") + grouped +
         digits.substr(dot);
}

std::string number_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", d);
    return buf;
  }
  return "";
}

std::string describe_legs(const OrderSummary& o) {
  std::string out;
  for (std::size_t i = 0; i < o.legs.size(); ++i) {
    if (i) out += i + 1 == o.legs.size() ? " and " : ", ";
    out += leg_text(o.legs[i]);
  }
  if (out.empty()) out = "an order with no legs";
  out = capitalized(out);
  if (!o.order_type.empty()) out += " " + price_text(o);
  if (!o.duration.empty()) out += ", " + duration_text(o.duration);
  std::string session = session_text(o.session);
  if (!session.empty()) out += ", " + session;
  return out + ".";
}

std::string describe_order(const OrderSummary& o) {
  std::string where = o.account_display + " at " + o.broker;
  std::string out;
  if (o.action == "cancel") {
    out = "Cancel order " + o.order_id + " in " + where + ".";
    if (!o.legs.empty()) out += " The order: " + describe_legs(o);
    if (!o.status.empty()) out += " Its status is " + o.status + ".";
  } else if (o.action == "replace") {
    out = "Replace order " + o.order_id + " in " + where + " with: " + describe_legs(o);
  } else {
    out = describe_legs(o) + " Account: " + where + ".";
  }
  std::string figures;
  if (o.order_value) figures += " Estimated order value: " + format_money(*o.order_value) + ".";
  if (o.commission_and_fees)
    figures += " Commission and fees: " + format_money(*o.commission_and_fees) + ".";
  if (o.buying_power_after)
    figures += " Buying power afterwards: " + format_money(*o.buying_power_after) + ".";
  out += figures;
  // Brokers end their messages with a full stop; the sentence here adds its own.
  auto list = [](const std::vector<std::string>& items) {
    std::string s;
    for (std::string i : items) {
      while (!i.empty() && (i.back() == '.' || i.back() == ' ')) i.pop_back();
      s += (s.empty() ? "" : "; ") + i;
    }
    return s;
  };
  if (!o.warnings.empty()) out += " Warnings: " + list(o.warnings) + ".";
  if (!o.rejections.empty())
    out += " " + o.broker + " would reject it: " + list(o.rejections) + ".";
  return out;
}

std::string confirmation_question(const OrderSummary& o) {
  std::string verb = o.action == "cancel"    ? "Cancel this order"
                     : o.action == "replace" ? "Replace this order"
                                             : "Send this order";
  return verb + " at " + o.broker + "?\n\n" + describe_order(o) +
         "\n\nNothing is sent unless you confirm.";
}

Json confirmation_schema() {
  return {{"type", "object"},
          {"properties",
           {{"confirm",
             {{"type", "boolean"},
              {"title", "Yes, send it"},
              {"description", "Confirm to send exactly this request to your broker."}}}}},
          {"required", {"confirm"}}};
}

}  // namespace bmcp::orders
