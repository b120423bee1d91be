// previewOrder, placeOrder, replaceOrder and cancelOrder: the Schwab side of the
// order-safety mechanism in src/orders/ (what would happen, and the one mutation), with
// Schwab's endpoints — POST previewOrder, POST orders (201 + Location), PUT orders/{id}
// (201 + Location of the new order), DELETE orders/{id} (200, empty).
#include "brokers/schwab/schwab_api.hpp"
#include "brokers/schwab/schwab_orders.hpp"
#include "brokers/upstream/url.hpp"
#include "orders/mutation_flow.hpp"
#include "orders/order_digest.hpp"
#include "orders/order_tools.hpp"
#include "brokers/schwab/schwab_call.hpp"

namespace bmcp::tools::schwab_detail {
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

constexpr const char* kAccountDesc = "The account's display name, e.g. Individual-...123 (see getAccountNumbers).";
constexpr const char* kTokenDesc =
    "The confirmationToken from previewOrder (or from this tool's earlier answer), after the person agreed to "
    "that exact preview. For apps that cannot ask the person directly; when the app supports elicitation the "
    "person is asked to confirm in any case, and the token (if given) must still match. Without a token and "
    "without a way to ask, nothing is sent and a preview with a token comes back.";

struct Target {
  std::string display;
  std::string key;   // the account hash: in URLs and digests, never shown
  std::string base;  // "/trader/v1/accounts/<hash>"
};

Target target_of(const privacy::AccountEntry& e) {
  Target t;
  t.display = e.display_name;
  t.key = e.hash_value.empty() ? e.account_number : e.hash_value;
  t.base = "/trader/v1/accounts/" + upstream::percent_encode(t.key);
  return t;
}

// The order as sent: canonical (what the digest covers) and without any account number
// the model may have added.
Json clean_order(const Json& order) {
  Json out = orders::canonical_order(order);
  if (out.is_object()) out.erase("accountNumber");
  return out;
}

std::string order_id_text(const Json& args) {
  const Json* v = find_member(args, "orderId");
  return v ? orders::number_text(*v) : std::string();
}

orders::ConfirmationBinding binding_for(SchwabCall& call, const Target& t, std::string action,
                                        const std::string& order_id, const Json* order) {
  Json subject = Json::object();
  if (order) subject["order"] = *order;
  if (!order_id.empty()) subject["orderId"] = order_id;
  orders::ConfirmationBinding b;
  b.user_id = call.user();
  b.provider = schwab::kProvider;
  b.action = std::move(action);
  b.account_display = t.display;
  b.order_digest = orders::order_digest(call.io().crypto(), schwab::kProvider, b.action, t.key, subject);
  return b;
}

orders::PreviewOutcome preview_failure(SchwabCall& call, const upstream::UpstreamError& e) {
  orders::PreviewOutcome p;
  p.error = call.scrub_text(e.describe(schwab::kLabel));
  return p;
}

// What placing (or, with an order id, replacing) would do: Schwab's previewOrder.
Task<orders::PreviewOutcome> preview_order(SchwabCall& call, const Target& t, const Json& order, std::string action,
                                           std::string order_id) {
  upstream::UpstreamRequest r;
  r.method = "POST";
  r.path = t.base + "/previewOrder";
  r.body = dump_json(order);
  upstream::UpstreamResult res = co_await call.send(std::move(r));
  if (!res.ok) co_return preview_failure(call, res.error);
  orders::PreviewOutcome p;
  p.ok = true;
  p.summary = schwab::order_summary(order);
  p.summary.action = std::move(action);
  p.summary.account_display = t.display;
  p.summary.order_id = std::move(order_id);
  schwab::add_preview(p.summary, res.response.json);
  p.preview = call.scrub(schwab::preview_view(res.response.json));
  co_return p;
}

// What cancelling would do: the order as it stands.
Task<orders::PreviewOutcome> preview_cancel(SchwabCall& call, const Target& t, std::string order_id) {
  upstream::UpstreamRequest r;
  r.path = t.base + "/orders/" + upstream::percent_encode(order_id);
  upstream::UpstreamResult res = co_await call.send(std::move(r));
  if (!res.ok) co_return preview_failure(call, res.error);
  const Json& order = res.response.json;
  orders::PreviewOutcome p;
  p.ok = true;
  p.summary = schwab::order_summary(order);
  p.summary.action = "cancel";
  p.summary.account_display = t.display;
  p.summary.order_id = order_id;
  if (get_bool(order, "cancelable") == std::optional<bool>(false))
    p.summary.rejections.push_back("the order is " + (p.summary.status.empty() ? std::string("closed") : p.summary.status) +
                                   " and can no longer be cancelled");
  Json view = Json::object();
  for (const char* k : {"orderId", "status", "statusDescription", "enteredTime", "orderType", "price", "stopPrice",
                        "quantity", "filledQuantity", "remainingQuantity", "cancelable", "orderLegCollection"})
    if (const Json* v = find_member(order, k)) view[k] = *v;
  p.preview = call.scrub(view);
  co_return p;
}

// The new order's status, best effort (the mutation already succeeded).
Task<void> add_status(SchwabCall& call, const Target& t, Json& result, std::string order_id) {
  if (order_id.empty()) co_return;
  upstream::UpstreamRequest r;
  r.path = t.base + "/orders/" + upstream::percent_encode(order_id);
  upstream::UpstreamResult res = co_await call.send(std::move(r));
  if (!res.ok) co_return;
  if (auto s = get_string(res.response.json, "status")) result["orderStatus"] = *s;
  if (auto d = get_string(res.response.json, "statusDescription")) result["statusDescription"] = call.scrub_text(*d);
}

orders::MutationOutcome mutation_failure(SchwabCall& call, const upstream::UpstreamError& e) {
  orders::MutationOutcome m;
  m.outcome_unknown = e.outcome_unknown;
  m.error = call.scrub_text(e.describe(schwab::kLabel));
  return m;
}

// POST (place) or PUT (replace) an order; the answer is 201 with the new order's URL.
Task<orders::MutationOutcome> send_order(SchwabCall& call, const Target& t, const Json& order, std::string replaces) {
  upstream::UpstreamRequest r;
  r.method = replaces.empty() ? "POST" : "PUT";
  r.path = t.base + "/orders" + (replaces.empty() ? "" : "/" + upstream::percent_encode(replaces));
  r.body = dump_json(order);
  r.mutation = true;
  upstream::UpstreamResult res = co_await call.send(std::move(r));
  if (!res.ok) co_return mutation_failure(call, res.error);
  orders::MutationOutcome m;
  m.ok = true;
  auto location = http::find_header(res.response.headers, "Location");
  std::string id = location ? schwab::order_id_from_location(*location) : std::string();
  m.result["orderId"] = id.empty() ? Json() : Json(id);
  if (!replaces.empty()) m.result["replacedOrderId"] = replaces;
  if (id.empty()) m.result["note"] = "Schwab accepted the order but did not return its id; getOrders lists it.";
  co_await add_status(call, t, m.result, id);
  co_return m;
}

Task<orders::MutationOutcome> send_cancel(SchwabCall& call, const Target& t, std::string order_id) {
  upstream::UpstreamRequest r;
  r.method = "DELETE";
  r.path = t.base + "/orders/" + upstream::percent_encode(order_id);
  r.mutation = true;
  upstream::UpstreamResult res = co_await call.send(std::move(r));
  if (!res.ok) co_return mutation_failure(call, res.error);
  orders::MutationOutcome m;
  m.ok = true;
  m.result["orderId"] = order_id;
  m.result["cancelled"] = true;
  co_await add_status(call, t, m.result, order_id);
  co_return m;
}

orders::OrderToolNames order_tool_names() { return {"placeOrder", "replaceOrder", "cancelOrder", "getOrders"}; }

// Everything after the arguments: the account, the order, and what Schwab is asked; the
// flow itself is the shared one (orders/order_tools.hpp).
Task<mcp::ToolResult> run_order_tool(mcp::RequestContext& ctx, const Kit& kit, std::string action, Json args) {
  SchwabCall call(ctx, kit);
  std::string name = get_string(args, "account").value_or("");
  const privacy::AccountEntry* entry = co_await call.resolve(name);
  if (!entry) co_return call.unknown_account(name);
  const Target target = target_of(*entry);
  orders::OrderDesk desk;
  desk.account = target.display;
  desk.order_id = order_id_text(args);
  desk.order = action == "cancel" ? Json() : clean_order(args.value("order", Json::object()));
  SchwabCall* c = &call;
  const Target* t = &target;
  const orders::OrderDesk* d = &desk;
  desk.binding = [c, t, d](const std::string& kind) {
    return binding_for(*c, *t, kind, d->order_id, kind == "cancel" ? nullptr : &d->order);
  };
  desk.preview = [c, t, d](const std::string& kind) {
    return kind == "cancel" ? preview_cancel(*c, *t, d->order_id) : preview_order(*c, *t, d->order, kind, d->order_id);
  };
  desk.send = [c, t, d](const std::string& kind) {
    return kind == "cancel" ? send_cancel(*c, *t, d->order_id)
                            : send_order(*c, *t, d->order, kind == "replace" ? d->order_id : "");
  };
  desk.scrub = [c](const Json& value) { return c->scrub(value); };
  std::string token = get_string(args, "confirmationToken").value_or("");
  mcp::ToolResult r = co_await orders::run_order_tool(ctx, std::move(action), std::move(token), desk,
                                                      order_tool_names(), kit.trading, kit.log);
  co_return r;
}

}  // namespace

void add_order_tools(mcp::Catalog& catalog, KitRef kit) {
  Json order = parse_json(kOrderSchema).value_or(Json{{"type", "object"}});
  Json account = {{"type", "string"}, {"description", kAccountDesc}};
  Json token = {{"type", "string"}, {"description", kTokenDesc}};
  Json order_id = {{"type", "integer"}, {"description", "The order's id (from getOrders)."}};
  std::vector<orders::OrderToolSpec> specs;
  specs.push_back({"previewOrder", "Preview an order",
                   "Shows what an order would do before anything is sent: legs, price, Schwab's commission and fees, "
                   "the buying power afterwards, and Schwab's warnings. Returns a confirmationToken valid for 5 "
                   "minutes for exactly this order (with orderId: for replacing that order). Show the preview to the "
                   "person and send the order only if they agree.",
                   orders::object_schema({{"account", account}, {"order", order},
                           {"orderId", {{"type", "integer"}, {"description", "Preview replacing this existing order instead of placing a new one."}}}},
                          {"account", "order"}),
                   "preview"});
  if (kit->trading.enabled) {
    specs.push_back({"placeOrder", "Place an order",
                     "Sends an order to Schwab. Needs the person's confirmation: the confirmationToken from "
                     "previewOrder for exactly this order, or their answer to a confirmation prompt. Without either "
                     "nothing is sent and a preview comes back. Returns the new order id and status. Never retried.",
                     orders::object_schema({{"account", account}, {"order", order}, {"confirmationToken", token}}, {"account", "order"}),
                     "place"});
    specs.push_back({"replaceOrder", "Replace an order",
                     "Replaces a working Schwab order with a new one (Schwab cancels the old order and creates a new "
                     "one with a new id). Needs the person's confirmation like placeOrder (previewOrder with orderId "
                     "gives the token).",
                     orders::object_schema({{"account", account}, {"orderId", order_id}, {"order", order}, {"confirmationToken", token}},
                            {"account", "orderId", "order"}),
                     "replace"});
    specs.push_back({"cancelOrder", "Cancel an order",
                     "Cancels a working Schwab order. Needs the person's confirmation: without a token from an "
                     "earlier call of this tool, or their answer to a confirmation prompt, nothing is sent and the "
                     "order to be cancelled comes back with a token.",
                     orders::object_schema({{"account", account}, {"orderId", order_id}, {"confirmationToken", token}},
                            {"account", "orderId"}),
                     "cancel"});
  }
  orders::OrderToolHandler handler = [kit](mcp::RequestContext& ctx, const Json& args, std::string action) {
    return run_order_tool(ctx, *kit, std::move(action), args);
  };
  orders::add_order_tool_definitions(catalog, std::move(specs), std::move(handler), order_tool_names(), "schwab");
}

}  // namespace bmcp::tools::schwab_detail
