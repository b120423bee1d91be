// previewOrder, placeOrder, replaceOrder and cancelOrder: the Schwab side of the
// order-safety mechanism in src/orders/ (what would happen, and the one mutation), with
// Schwab's endpoints — POST previewOrder, POST orders (201 + Location), PUT orders/{id}
// (201 + Location of the new order), DELETE orders/{id} (200, empty).
#include "brokers/schwab/schwab_api.hpp"
#include "brokers/schwab/schwab_orders.hpp"
#include "brokers/upstream/url.hpp"
#include "orders/order_digest.hpp"
#include "brokers/broker_order_tools.hpp"
#include "brokers/schwab/schwab_tools.hpp"

namespace bmcp::schwab {
namespace {

constexpr const char* kOrderSchema = R"({
 "type":"object",
 "description":"A Schwab OrderRequest as in Schwab's Trader API. Equity limit buy: {\"orderType\":\"LIMIT\",\"session\":\"NORMAL\",\"duration\":\"DAY\",\"orderStrategyType\":\"SINGLE\",\"price\":150,\"orderLegCollection\":[{\"instruction\":\"BUY\",\"quantity\":10,\"instrument\":{\"symbol\":\"AAPL\",\"assetType\":\"EQUITY\"}}]}. Options use OCC symbols ('AAPL  241018C00230000') with BUY_TO_OPEN, SELL_TO_CLOSE, ...; spreads use NET_DEBIT/NET_CREDIT; OCO and TRIGGER orders use childOrderStrategies. Never include an account number.",
 "properties":{
  "session":{"description":"NORMAL: the regular session; AM / PM: before or after it; SEAMLESS: all of them.","type":"string","enum":["NORMAL","AM","PM","SEAMLESS"]},
  "duration":{"description":"How long the order works: DAY, GOOD_TILL_CANCEL, FILL_OR_KILL, ...","type":"string","enum":["DAY","GOOD_TILL_CANCEL","FILL_OR_KILL","IMMEDIATE_OR_CANCEL","END_OF_WEEK","END_OF_MONTH","NEXT_END_OF_MONTH"]},
  "orderType":{"description":"MARKET, LIMIT, STOP, STOP_LIMIT, ...; NET_DEBIT or NET_CREDIT for option spreads.","type":"string","enum":["MARKET","LIMIT","STOP","STOP_LIMIT","TRAILING_STOP","CABINET","NON_MARKETABLE","MARKET_ON_CLOSE","EXERCISE","TRAILING_STOP_LIMIT","NET_DEBIT","NET_CREDIT","NET_ZERO","LIMIT_ON_CLOSE"]},
  "price":{"anyOf":[{"type":"number"},{"type":"string"}],"description":"Limit price per share or contract (a number, or its decimal text)."},
  "stopPrice":{"anyOf":[{"type":"number"},{"type":"string"}],"description":"Stop price that triggers a STOP or STOP_LIMIT order."},
  "orderStrategyType":{"description":"SINGLE for one order; OCO (one cancels the other) and TRIGGER (one triggers the next) use childOrderStrategies.","type":"string","enum":["SINGLE","CANCEL","RECALL","PAIR","FLATTEN","TWO_DAY_SWAP","BLAST_ALL","OCO","TRIGGER"]},
  "complexOrderStrategyType":{"description":"Schwab's name for a multi-leg option strategy, e.g. VERTICAL, IRON_CONDOR, CUSTOM (NONE for single orders).","type":"string"},
  "orderLegCollection":{"description":"The legs: what to buy or sell, how many, of which instrument.","type":"array","minItems":1,"items":{"type":"object","properties":{
   "instruction":{"description":"BUY / SELL for stocks; BUY_TO_OPEN, SELL_TO_OPEN, BUY_TO_CLOSE, SELL_TO_CLOSE for options.","type":"string","enum":["BUY","SELL","BUY_TO_COVER","SELL_SHORT","BUY_TO_OPEN","BUY_TO_CLOSE","SELL_TO_OPEN","SELL_TO_CLOSE","EXCHANGE","SELL_SHORT_EXEMPT"]},
   "quantity":{"description":"Shares or contracts.","type":"number","exclusiveMinimum":0},
   "instrument":{"description":"The instrument of the leg.","type":"object","properties":{"symbol":{"description":"A ticker, or an OCC option symbol such as 'AAPL  241018C00230000'.","type":"string"},"assetType":{"description":"EQUITY for stocks and ETFs, OPTION for options.","type":"string","enum":["EQUITY","OPTION","INDEX","MUTUAL_FUND","CASH_EQUIVALENT","FIXED_INCOME","CURRENCY","COLLECTIVE_INVESTMENT"]}},"required":["symbol","assetType"]}},
   "required":["instruction","quantity","instrument"]}},
  "childOrderStrategies":{"description":"The orders an OCO or TRIGGER order contains, each an order of this same shape.","type":"array","items":{"type":"object"}}},
 "required":["orderType","session","duration","orderStrategyType"]})";

brokers::OrderTarget target_of(const privacy::AccountEntry& e) {
  brokers::OrderTarget t;
  t.display = e.display_name;
  t.key = e.hash_value.empty() ? e.account_number : e.hash_value;
  t.base = "/trader/v1/accounts/" + upstream::percent_encode(t.key);
  return t;
}

// The order as sent: canonical (what the digest covers) and without any account number
// the model may have added. A replacement is a whole new order at Schwab.
Json clean_order(const Json& order, bool) {
  Json out = orders::canonical_order(order);
  if (out.is_object()) out.erase("accountNumber");
  return out;
}

// What placing (or, with an order id, replacing) would do: Schwab's previewOrder.
Task<orders::PreviewOutcome> preview_order(brokers::BrokerCall& call, const brokers::OrderTarget& t,
                                           const Json& order, std::string action,
                                           std::string order_id) {
  upstream::UpstreamRequest r;
  r.method = "POST";
  r.path = t.base + "/previewOrder";
  r.body = dump_json(order);
  upstream::UpstreamResult res = co_await call.send(std::move(r));
  if (!res.ok) co_return brokers::preview_failure(call, res.error);
  orders::PreviewOutcome p;
  p.ok = true;
  p.summary = schwab::order_summary(order);
  schwab::add_preview(p.summary, res.response.json);
  p.preview = call.scrub(schwab::preview_view(res.response.json));
  co_return p;
}

// The order to be cancelled, as Schwab's GET orders/{id} gives it.
brokers::OrderAsItStands order_as_it_stands(const Json& order) {
  brokers::OrderAsItStands o;
  o.summary = schwab::order_summary(order);
  o.cancellable = get_bool(order, "cancelable");
  o.view = Json::object();
  for (const char* k :
       {"orderId", "status", "statusDescription", "enteredTime", "orderType", "price", "stopPrice",
        "quantity", "filledQuantity", "remainingQuantity", "cancelable", "orderLegCollection"})
    if (const Json* v = find_member(order, k)) o.view[k] = *v;
  return o;
}

// The new order's status, best effort (the mutation already succeeded).
Task<void> add_status(brokers::BrokerCall& call, const brokers::OrderTarget& t, Json& result,
                      std::string order_id) {
  if (order_id.empty()) co_return;
  upstream::UpstreamRequest r;
  r.path = t.base + "/orders/" + upstream::percent_encode(order_id);
  upstream::UpstreamResult res = co_await call.send(std::move(r));
  if (!res.ok) co_return;
  if (auto s = get_string(res.response.json, "status")) result["orderStatus"] = *s;
  if (auto d = get_string(res.response.json, "statusDescription"))
    result["statusDescription"] = call.scrub_text(*d);
}

// POST (place) or PUT (replace) an order; the answer is 201 with the new order's URL.
Task<orders::MutationOutcome> send_order(brokers::BrokerCall& call, const brokers::OrderTarget& t,
                                         const Json& order, std::string replaces) {
  brokers::SentMutation sent = co_await brokers::send_order_request(call, t, order, replaces);
  if (!sent.outcome.ok) co_return sent.outcome;
  orders::MutationOutcome m = std::move(sent.outcome);
  auto location = http::find_header(sent.result.response.headers, "Location");
  std::string id = location ? schwab::order_id_from_location(*location) : std::string();
  m.result["orderId"] = id.empty() ? Json() : Json(id);
  if (!replaces.empty()) m.result["replacedOrderId"] = replaces;
  if (id.empty())
    m.result["note"] = "Schwab accepted the order but did not return its id; getOrders lists it.";
  co_await add_status(call, t, m.result, id);
  co_return m;
}

// Schwab answers a cancellation with 200 and no body: its status is read afterwards.
Task<void> describe_cancelled(brokers::BrokerCall& call, const brokers::OrderTarget& t,
                              std::string order_id, const upstream::UpstreamResult&, Json& result) {
  co_await add_status(call, t, result, order_id);
}

}  // namespace

void add_order_tools(mcp::Catalog& catalog, brokers::BrokerKitRef kit) {
  brokers::BrokerOrderWords w;
  w.names = {"placeOrder", "replaceOrder", "cancelOrder", "getOrders"};
  w.preview_name = "previewOrder";
  w.order_schema = kOrderSchema;
  w.account_description =
      "The account's display name, e.g. Individual-...123 (see getAccountNumbers).";
  w.order_id_schema = {{"type", "integer"}, {"description", "The order's id (from getOrders)."}};
  w.preview_order_id_schema = {
      {"type", "integer"},
      {"description", "Preview replacing this existing order instead of placing a new one."}};
  w.preview_description =
      "Shows what an order would do before anything is sent: legs, price, Schwab's commission and "
      "fees, the buying "
      "power afterwards, and Schwab's warnings. Returns a confirmationToken valid for 5 minutes "
      "for exactly this order "
      "(with orderId: for replacing that order). Show the preview to the person and send the order "
      "only if they "
      "agree.";
  w.place_description =
      "Sends an order to Schwab. Needs the person's confirmation: the confirmationToken from "
      "previewOrder for exactly "
      "this order, or their answer to a confirmation prompt. Without either nothing is sent and a "
      "preview comes back. "
      "Returns the new order id and status. Never retried.";
  w.replace_description =
      "Replaces a working Schwab order with a new one (Schwab cancels the old order and creates a "
      "new one with a new "
      "id). Needs the person's confirmation like placeOrder (previewOrder with orderId gives the "
      "token).";
  w.cancel_description =
      "Cancels a working Schwab order. Needs the person's confirmation: without a token from an "
      "earlier call of this "
      "tool, or their answer to a confirmation prompt, nothing is sent and the order to be "
      "cancelled comes back with a "
      "token.";
  const brokers::BrokerOrderDesk desk{target_of,         clean_order,        nullptr,
                                      preview_order,     order_as_it_stands, send_order,
                                      describe_cancelled};
  brokers::add_broker_order_tools(catalog, std::move(kit), std::move(w), desk);
}

}  // namespace bmcp::schwab
