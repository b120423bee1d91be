#include "brokers/broker_order_tools.hpp"

#include "brokers/upstream/url.hpp"
#include "orders/order_digest.hpp"

namespace bmcp::brokers {
namespace {

std::string order_id_text(const Json& args) {
  const Json* v = find_member(args, "orderId");
  if (!v || v->is_null()) return "";
  if (v->is_string()) return v->get<std::string>();
  return orders::number_text(*v);
}

orders::ConfirmationBinding binding_for(BrokerCall& call, const OrderTarget& t, std::string action,
                                        const std::string& order_id, const Json* order) {
  Json subject = Json::object();
  if (order) subject["order"] = *order;
  if (!order_id.empty()) subject["orderId"] = order_id;
  const std::string provider(broker_id(call.kit().profile.broker));
  orders::ConfirmationBinding b;
  b.user_id = call.user();
  b.provider = provider;
  b.action = std::move(action);
  b.account_display = t.display;
  b.order_digest = orders::order_digest(call.io().crypto(), provider, b.action, t.key, subject);
  return b;
}

}  // namespace

Task<SentMutation> send_order_request(BrokerCall& call, const OrderTarget& target,
                                      const Json& order, const std::string& replaces) {
  std::string method = replaces.empty() ? "POST" : "PUT";
  std::string path =
      target.base + "/orders" + (replaces.empty() ? "" : "/" + upstream::percent_encode(replaces));
  std::string body = dump_json(order);
  SentMutation sent =
      co_await send_mutation(call, std::move(method), std::move(path), std::move(body));
  co_return sent;
}

Task<SentMutation> send_cancel_request(BrokerCall& call, const OrderTarget& target,
                                       const std::string& order_id) {
  std::string method = "DELETE";
  std::string path = target.base + "/orders/" + upstream::percent_encode(order_id);
  std::string no_body;
  SentMutation sent =
      co_await send_mutation(call, std::move(method), std::move(path), std::move(no_body));
  co_return sent;
}

namespace {

// What cancelling would do: the order as it stands at the broker.
Task<orders::PreviewOutcome> preview_cancel(BrokerCall& call, const BrokerOrderDesk& broker,
                                            const OrderTarget& target, std::string order_id) {
  upstream::UpstreamRequest r;
  r.path = target.base + "/orders/" + upstream::percent_encode(order_id);
  upstream::UpstreamResult res = co_await call.send(std::move(r));
  if (!res.ok) co_return preview_failure(call, res.error);
  OrderAsItStands order = broker.order_as_it_stands(res.response.json);
  orders::PreviewOutcome p;
  p.ok = true;
  p.summary = std::move(order.summary);
  if (order.cancellable == std::optional<bool>(false))
    p.summary.rejections.push_back(
        "the order is " + (p.summary.status.empty() ? std::string("closed") : p.summary.status) +
        " and can no longer be cancelled");
  p.preview = call.scrub(order.view);
  co_return p;
}

// Cancels the order once; the answer names it and says it was cancelled, with what the
// broker adds.
Task<orders::MutationOutcome> cancel_order(BrokerCall& call, const BrokerOrderDesk& broker,
                                           const OrderTarget& target, std::string order_id) {
  SentMutation sent = co_await send_cancel_request(call, target, order_id);
  if (!sent.outcome.ok) co_return sent.outcome;
  orders::MutationOutcome m = std::move(sent.outcome);
  if (broker.describe_cancelled)
    co_await broker.describe_cancelled(call, target, order_id, sent.result, m.result);
  m.result["orderId"] = order_id;
  m.result["cancelled"] = true;
  co_return m;
}

// The desk's preview, with what the kernel knows filled in: the action, the account, the order.
Task<orders::PreviewOutcome> preview_step(BrokerCall* call, const BrokerOrderDesk* broker,
                                          const OrderTarget* target, const orders::OrderDesk* desk,
                                          std::string kind) {
  orders::PreviewOutcome p;
  if (kind == "cancel") p = co_await preview_cancel(*call, *broker, *target, desk->order_id);
  else p = co_await broker->preview_order(*call, *target, desk->order, kind, desk->order_id);
  if (p.ok) {
    p.summary.action = kind;
    p.summary.account_display = target->display;
    p.summary.order_id = desk->order_id;
  }
  co_return p;
}

// Everything after the arguments: the account, the order, and what the broker is asked;
// the flow itself is the shared one (orders/order_tools.hpp).
Task<mcp::ToolResult> run_order_tool(mcp::RequestContext& ctx, BrokerKitRef kit,
                                     BrokerOrderDesk broker, orders::OrderToolNames names,
                                     std::string action, Json args) {
  BrokerCall call(ctx, *kit);
  std::string name = get_string(args, "account").value_or("");
  const privacy::AccountEntry* entry = co_await call.resolve(name);
  if (!entry) co_return call.unknown_account(name);
  const OrderTarget target = broker.target(*entry);
  orders::OrderDesk desk;
  desk.account = target.display;
  desk.order_id = order_id_text(args);
  const std::string kind =
      action == "preview" ? (desk.order_id.empty() ? "place" : "replace") : action;
  desk.order = kind == "cancel"
                   ? Json()
                   : broker.clean_order(args.value("order", Json::object()), kind == "replace");
  const std::string refused = broker.refusal ? broker.refusal(kind, desk.order) : std::string();
  if (!refused.empty()) co_return call.invalid(refused);
  BrokerCall* c = &call;
  const BrokerOrderDesk* b = &broker;
  const OrderTarget* t = &target;
  const orders::OrderDesk* d = &desk;
  desk.binding = [c, t, d](const std::string& k) {
    return binding_for(*c, *t, k, d->order_id, k == "cancel" ? nullptr : &d->order);
  };
  desk.preview = [c, b, t, d](const std::string& k) { return preview_step(c, b, t, d, k); };
  desk.send = [c, b, t, d](const std::string& k) {
    return k == "cancel" ? cancel_order(*c, *b, *t, d->order_id)
                         : b->send_order(*c, *t, d->order, k == "replace" ? d->order_id : "");
  };
  desk.scrub = [c](const Json& value) { return c->scrub(value); };
  std::string token = get_string(args, "confirmationToken").value_or("");
  mcp::ToolResult r = co_await orders::run_order_tool(
      ctx, std::move(action), std::move(token), desk, std::move(names), kit->trading, kit->log);
  co_return r;
}

}  // namespace

orders::PreviewOutcome preview_failure(const BrokerCall& call, const upstream::UpstreamError& e) {
  orders::PreviewOutcome p;
  p.error = call.failure_words(e);
  return p;
}

Task<SentMutation> send_mutation(BrokerCall& call, std::string method, std::string path,
                                 std::string body) {
  upstream::UpstreamRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  r.mutation = true;
  SentMutation sent;
  sent.result = co_await call.send(std::move(r));
  sent.outcome.ok = sent.result.ok;
  if (!sent.result.ok) {
    sent.outcome.outcome_unknown = sent.result.error.outcome_unknown;
    sent.outcome.error = call.failure_words(sent.result.error);
  }
  co_return sent;
}

bool add_broker_order_tools(mcp::Catalog& catalog, BrokerKitRef kit, BrokerOrderWords words,
                            BrokerOrderDesk desk) {
  auto order = parse_json(words.order_schema);
  if (!order || !order->is_object()) return false;  // a broken schema text is no tool, never `{}`
  const Json account = {{"type", "string"}, {"description", words.account_description}};
  const Json token = {
      {"type", "string"},
      {"description",
       "The confirmationToken from " + words.preview_name +
           " (or from this tool's earlier answer), after the person agreed to that exact preview. "
           "For "
           "apps that cannot ask the person directly; when the app supports elicitation the person "
           "is "
           "asked to confirm in any case, and the token (if given) must still match. Without a "
           "token "
           "and without a way to ask, nothing is sent and a preview with a token comes back."}};
  const Json& order_id = words.order_id_schema;
  const Json& preview_id =
      words.preview_order_id_schema.is_null() ? order_id : words.preview_order_id_schema;
  std::vector<orders::OrderToolSpec> specs;
  specs.push_back(
      {words.preview_name, "Preview an order", std::move(words.preview_description),
       orders::object_schema({{"account", account}, {"order", *order}, {"orderId", preview_id}},
                             {"account", "order"}),
       "preview"});
  if (kit->trading.enabled) {
    specs.push_back({words.names.place, "Place an order", std::move(words.place_description),
                     orders::object_schema(
                         {{"account", account}, {"order", *order}, {"confirmationToken", token}},
                         {"account", "order"}),
                     "place"});
    specs.push_back({words.names.replace, "Replace an order", std::move(words.replace_description),
                     orders::object_schema({{"account", account},
                                            {"orderId", order_id},
                                            {"order", *order},
                                            {"confirmationToken", token}},
                                           {"account", "orderId", "order"}),
                     "replace"});
    specs.push_back(
        {words.names.cancel, "Cancel an order", std::move(words.cancel_description),
         orders::object_schema(
             {{"account", account}, {"orderId", order_id}, {"confirmationToken", token}},
             {"account", "orderId"}),
         "cancel"});
  }
  const orders::OrderToolNames names = words.names;
  orders::OrderToolHandler handler = [kit, desk, names](mcp::RequestContext& ctx, const Json& args,
                                                        std::string action) {
    return run_order_tool(ctx, kit, desk, names, std::move(action), args);
  };
  orders::add_order_tool_definitions(catalog, std::move(specs), std::move(handler), names,
                                     std::string(broker_id(kit->profile.broker)));
  return true;
}

}  // namespace bmcp::brokers
