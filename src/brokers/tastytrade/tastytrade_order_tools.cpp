// preview_order, place_order, replace_order and cancel_order: the tastytrade side of the
// order-safety mechanism in src/orders/ (what would happen, and the one mutation), with
// tastytrade's endpoints — POST orders/dry-run (and orders/{id}/dry-run for a
// replacement), POST orders, PUT orders/{id} (a new order that replaces it; sent without
// legs, as tastytrade keeps the legs), DELETE orders/{id}.
#include "brokers/upstream/url.hpp"
#include "brokers/broker_order_tools.hpp"
#include "brokers/tastytrade/tastytrade_api.hpp"
#include "brokers/tastytrade/tastytrade_tools.hpp"
#include "orders/order_digest.hpp"

#include <cmath>

namespace bmcp::tastytrade {
namespace {

constexpr const char* kOrderSchema = R"({
 "type":"object",
 "description":"A tastytrade order, in tastytrade's own (kebab-case) fields. Put credit spread: {\"time-in-force\":\"Day\",\"order-type\":\"Limit\",\"price\":\"1.25\",\"price-effect\":\"Credit\",\"legs\":[{\"instrument-type\":\"Equity Option\",\"symbol\":\"SPY   260116P00550000\",\"quantity\":1,\"action\":\"Sell to Open\"},{\"instrument-type\":\"Equity Option\",\"symbol\":\"SPY   260116P00545000\",\"quantity\":1,\"action\":\"Buy to Open\"}]}. Stocks take 1 leg, options up to 4. Limit and Stop Limit need price and price-effect (buying is a Debit, selling a Credit); Stop needs stop-trigger. Never include an account number.",
 "properties":{
  "time-in-force":{"description":"Day, GTC (good till cancelled), GTD (good till gtc-date), Ext / GTC Ext (extended hours), IOC.","type":"string","enum":["Day","GTC","GTD","Ext","GTC Ext","IOC"]},
  "order-type":{"description":"Limit, Market, Stop or Stop Limit.","type":"string","enum":["Limit","Market","Stop","Stop Limit"]},
  "price":{"anyOf":[{"type":"string"},{"type":"number"}],"description":"Limit price, positive (the direction is price-effect)."},
  "price-effect":{"description":"Debit when the order pays (buying), Credit when it receives (selling).","type":"string","enum":["Debit","Credit"]},
  "stop-trigger":{"anyOf":[{"type":"string"},{"type":"number"}],"description":"Trigger price of a Stop or Stop Limit order."},
  "gtc-date":{"description":"With time-in-force GTD: the last day the order works, YYYY-MM-DD.","type":"string","format":"date"},
  "legs":{"description":"The legs: 1 for stocks, up to 4 for options.","type":"array","minItems":1,"maxItems":4,"items":{"type":"object","properties":{
   "instrument-type":{"description":"What the leg trades.","type":"string","enum":["Equity","Equity Option","Future","Future Option","Cryptocurrency"]},
   "symbol":{"description":"A ticker, or an OCC option symbol such as 'SPY   260116P00550000'.","type":"string","minLength":1},
   "quantity":{"anyOf":[{"type":"number"},{"type":"string"}],"description":"Shares or contracts of this leg."},
   "action":{"description":"Buy to Open, Sell to Open, Buy to Close, Sell to Close for options; Buy or Sell for futures and crypto; stocks use the options wording too.","type":"string","enum":["Buy to Open","Sell to Open","Buy to Close","Sell to Close","Buy","Sell"]}},
   "required":["instrument-type","symbol","quantity","action"],"additionalProperties":false}}},
 "required":["time-in-force","order-type"]})";

std::string text_of(const Json* v) {
  if (!v || v->is_null()) return "";
  if (v->is_string()) return v->get<std::string>();
  return orders::number_text(*v);
}

// The order as sent: canonical, prices as strings (tastytrade's decimals), and without
// anything the model should not set.
Json clean_order(const Json& order, bool replacing) {
  Json out = orders::canonical_order(order);
  if (!out.is_object()) return Json::object();
  for (const char* k : {"account-number", "accountNumber", "account", "source"}) out.erase(k);
  for (const char* k : {"price", "stop-trigger"})
    if (const Json* v = find_member(out, k); v && v->is_number()) {
      std::string t = orders::number_text(*v);
      if (!t.empty() && t[0] == '-') t.erase(0, 1);
      out[k] = t;
    }
  if (replacing) out.erase("legs");
  return out;
}

// A new order needs its legs (a replacement keeps the old order's).
std::string refusal(const std::string& kind, const Json& order) {
  const Json* legs = find_member(order, "legs");
  if (kind == "place" && (!legs || !legs->is_array() || legs->empty()))
    return "A new order needs 1 to 4 legs.";
  return "";
}

brokers::OrderTarget target_of(const privacy::AccountEntry& e) {
  brokers::OrderTarget t;
  t.display = e.display_name;
  t.key = e.account_number;
  t.base = account_path(e);
  return t;
}

orders::OrderSummary summary_of(const Json& order) {
  orders::OrderSummary s;
  s.broker = "tastytrade";
  std::string type = get_string(order, "order-type").value_or("");
  std::string effect = get_string(order, "price-effect").value_or("");
  const Json* legs = find_member(order, "legs");
  std::size_t n = legs && legs->is_array() ? legs->size() : 0;
  if (type == "Market") s.order_type = "MARKET";
  else if (type == "Stop") s.order_type = "STOP";
  else if (type == "Stop Limit") s.order_type = "STOP_LIMIT";
  else if (type == "Limit" && n > 1) s.order_type = effect == "Credit" ? "NET_CREDIT" : "NET_DEBIT";
  else if (type == "Limit") s.order_type = "LIMIT";
  else s.order_type = type;
  s.price = text_of(find_member(order, "price"));
  s.stop_price = text_of(find_member(order, "stop-trigger"));
  std::string tif = get_string(order, "time-in-force").value_or("");
  s.duration = tif == "Day"   ? "DAY"
               : tif == "GTC" ? "GOOD_TILL_CANCEL"
               : tif == "IOC" ? "IMMEDIATE_OR_CANCEL"
                              : tif;
  s.status = get_string(order, "status").value_or("");
  if (n)
    for (const Json& l : *legs) {
      orders::OrderLeg leg;
      leg.instruction = get_string(l, "action").value_or("");
      leg.quantity = text_of(find_member(l, "quantity"));
      leg.symbol = get_string(l, "symbol").value_or("");
      leg.option =
          get_string(l, "instrument-type").value_or("").find("Option") != std::string::npos;
      s.legs.push_back(std::move(leg));
    }
  return s;
}

// The broker's figures from a dry run: fees, buying power, warnings, and errors (the
// order would be rejected).
void add_dry_run(orders::OrderSummary& s, Json& view, const Json& data) {
  const Json* bp = find_member(data, "buying-power-effect");
  const Json* fees = find_member(data, "fee-calculation");
  if (bp) {
    if (auto v = signed_amount(*bp, "new-buying-power")) s.buying_power_after = *v;
    Json b = Json::object();
    for (auto [n, k] : {std::pair{"changeInBuyingPower", "change-in-buying-power"},
                        {"changeInMarginRequirement", "change-in-margin-requirement"},
                        {"currentBuyingPower", "current-buying-power"},
                        {"newBuyingPower", "new-buying-power"},
                        {"isolatedOrderMarginRequirement", "isolated-order-margin-requirement"}})
      if (auto v = signed_amount(*bp, k)) b[n] = *v;
    view["buyingPowerEffect"] = std::move(b);
  }
  if (fees) {
    if (auto v = decimal_member(*fees, "total-fees")) s.commission_and_fees = std::fabs(*v);
    Json f = Json::object();
    for (auto [n, k] : {std::pair{"commission", "commission"},
                        {"clearingFees", "clearing-fees"},
                        {"regulatoryFees", "regulatory-fees"},
                        {"totalFees", "total-fees"}})
      if (auto v = signed_amount(*fees, k)) f[n] = *v;
    view["fees"] = std::move(f);
  }
  for (const char* key : {"warnings", "errors"}) {
    const Json* list = find_member(data, key);
    if (!list || !list->is_array()) continue;
    Json words = Json::array();
    for (const Json& w : *list) {
      std::string m = get_string(w, "message").value_or(get_string(w, "code").value_or(""));
      if (m.empty()) continue;
      (std::string_view(key) == "warnings" ? s.warnings : s.rejections).push_back(m);
      words.push_back(m);
    }
    if (!words.empty()) view[key] = std::move(words);
  }
}

Task<orders::PreviewOutcome> preview_order(brokers::BrokerCall& call, const brokers::OrderTarget& t,
                                           const Json& order, std::string action,
                                           std::string order_id) {
  upstream::UpstreamRequest r;
  r.method = "POST";
  r.path = t.base + "/orders" + (order_id.empty() ? "" : "/" + upstream::percent_encode(order_id)) +
           "/dry-run";
  r.body = dump_json(order);
  upstream::UpstreamResult res = co_await call.send(std::move(r));
  orders::PreviewOutcome p;
  if (!res.ok && res.error.http_status != 422) {
    p.error = call.failure_words(res.error);
    co_return p;
  }
  p.ok = true;
  const Json& data = data_of(res.response.json);
  const Json* placed = find_member(data, "order");
  p.summary = summary_of(placed && !order_id.empty() ? *placed : order);
  Json view = Json::object();
  add_dry_run(p.summary, view, data);
  if (!res.ok) {
    // 422 preflight failure: the broker's reasons are the rejection.
    const Json* err = find_member(res.response.json, "error");
    if (err) add_dry_run(p.summary, view, *err);
    if (p.summary.rejections.empty())
      p.summary.rejections.push_back(call.scrub_text(res.error.message));
  }
  p.preview = call.scrub(view);
  co_return p;
}

// The order to be cancelled, from tastytrade's GET orders/{id} ({data: order}).
brokers::OrderAsItStands order_as_it_stands(const Json& answer) {
  const Json& order = data_of(answer);
  brokers::OrderAsItStands o;
  o.summary = summary_of(order);
  o.cancellable = get_bool(order, "cancellable");
  o.view = order_view(order);  // as get_order shows it (the same names, legs and fills)
  return o;
}

void add_placed(Json& result, const Json& body) {
  const Json& data = data_of(body);
  const Json* o = find_member(data, "order");
  const Json& order = o ? *o : data;
  if (const Json* id = find_member(order, "id")) result["orderId"] = *id;
  if (auto s = get_string(order, "status")) result["orderStatus"] = *s;
  if (const Json* w = find_member(data, "warnings"); w && w->is_array() && !w->empty()) {
    Json words = Json::array();
    for (const Json& x : *w)
      if (auto msg = get_string(x, "message")) words.push_back(*msg);
    result["warnings"] = std::move(words);
  }
}

Task<orders::MutationOutcome> send_order(brokers::BrokerCall& call, const brokers::OrderTarget& t,
                                         const Json& order, std::string replaces) {
  brokers::SentMutation sent = co_await brokers::send_order_request(call, t, order, replaces);
  if (!sent.outcome.ok) co_return sent.outcome;
  orders::MutationOutcome m = std::move(sent.outcome);
  add_placed(m.result, sent.result.response.json);
  if (!replaces.empty()) m.result["replacedOrderId"] = replaces;
  m.result = call.scrub(m.result);
  co_return m;
}

// tastytrade answers a cancellation with the order as it now stands.
Task<void> describe_cancelled(brokers::BrokerCall& call, const brokers::OrderTarget&, std::string,
                              const upstream::UpstreamResult& answer, Json& result) {
  Json described = Json::object();
  add_placed(described, answer.response.json);
  for (auto& [key, value] : described.items()) result[key] = call.scrub(value);
  co_return;
}

}  // namespace

void add_order_tools(mcp::Catalog& catalog, brokers::BrokerKitRef kit) {
  // The words first: what the model reads of each tool.
  brokers::BrokerOrderWords w;
  w.preview_description =
      "Shows what an order would do before anything is sent, using tastytrade's dry run: legs, "
      "price, fees, the "
      "buying-power effect, and tastytrade's warnings or reasons it would reject the order. "
      "Single-leg and multi-leg "
      "(spreads, up to 4 legs). Returns a confirmationToken valid for 5 minutes for exactly this "
      "order (with orderId: "
      "for replacing that order). Show the preview to the person and send the order only if they "
      "agree.";
  w.place_description =
      "Sends an order to tastytrade. Needs the person's confirmation: the confirmationToken from "
      "preview_order for "
      "exactly this order, or their answer to a confirmation prompt. Without either nothing is "
      "sent and a preview "
      "comes back. Returns the new order id and status. Never retried.";
  w.replace_description =
      "Replaces a working tastytrade order's price, type or time in force (the legs stay; "
      "tastytrade creates a new "
      "order id). Needs the person's confirmation like place_order (preview_order with orderId "
      "gives the token).";
  w.cancel_description =
      "Cancels a working tastytrade order. Needs the person's confirmation: without a token from "
      "an earlier call of "
      "this tool, or their answer to a confirmation prompt, nothing is sent and the order to be "
      "cancelled comes back "
      "with a token.";
  w.names = {"place_order", "replace_order", "cancel_order", "get_orders"};
  w.preview_name = "preview_order";
  w.order_schema = kOrderSchema;
  w.account_description = "The account's display name, e.g. Individual-...123 (from get_accounts).";
  w.order_id_schema = {{"anyOf", Json::array({{{"type", "integer"}}, {{"type", "string"}}})},
                       {"description", "The order's id (from get_orders)."}};
  const brokers::BrokerOrderDesk desk{target_of,         clean_order,        refusal,
                                      preview_order,     order_as_it_stands, send_order,
                                      describe_cancelled};
  brokers::add_broker_order_tools(catalog, std::move(kit), std::move(w), desk);
}

}  // namespace bmcp::tastytrade
