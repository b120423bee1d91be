#include "orders/order_tools.hpp"

#include "oauth/scopes.hpp"
#include "orders/order_reconciliation.hpp"

namespace bmcp::orders {

Json object_schema(std::initializer_list<std::pair<const char*, Json>> properties,
                   std::initializer_list<const char*> required) {
  Json props = Json::object();
  for (const auto& [name, schema] : properties) props[name] = schema;
  Json names = Json::array();
  for (const char* name : required) names.push_back(name);
  return {{"type", "object"},
          {"properties", props},
          {"required", names},
          {"additionalProperties", false}};
}

Task<mcp::ToolResult> run_order_tool(mcp::RequestContext& ctx, std::string action,
                                     std::string confirmation_token, const OrderDesk& desk,
                                     OrderToolNames names, TradingRules rules,
                                     const logging::Logger& log) {
  const std::string kind =
      action == "preview" ? (desk.order_id.empty() ? "place" : "replace") : action;
  if (action == "preview") {
    ConfirmationBinding binding = desk.binding(kind);
    PreviewOutcome preview = co_await desk.preview(kind);
    if (!preview.ok) co_return mcp::ToolResult::error(preview.error);
    std::string confirm_tool = kind == "place" ? names.place : names.replace;
    mcp::ToolResult r = co_await preview_result(ctx, std::move(binding), std::move(preview),
                                                std::move(confirm_tool), rules);
    co_return r;
  }
  MutationPlan plan;
  plan.binding = desk.binding(kind);
  plan.token = std::move(confirmation_token);
  plan.rules = rules;
  plan.tool_name = kind == "place" ? names.place : kind == "replace" ? names.replace : names.cancel;
  plan.orders_tool = names.orders;
  Json journal = {{"account", desk.account}};
  if (!desk.order_id.empty()) journal["orderId"] = desk.order_id;
  if (kind != "cancel") journal["order"] = desk.order;
  plan.journal_request = desk.scrub(journal);
  const OrderDesk* d = &desk;
  plan.preview = [d, kind] { return d->preview(kind); };
  plan.send = [d, kind] { return d->send(kind); };
  mcp::ToolResult r = co_await run_mutation(ctx, std::move(plan), log);
  co_return r;
}

void add_order_tool_definitions(mcp::Catalog& catalog, std::vector<OrderToolSpec> specs,
                                OrderToolHandler handler, const OrderToolNames& names,
                                std::string provider) {
  for (OrderToolSpec& s : specs) {
    mcp::ToolDefinition t;
    t.name = s.name;
    t.title = s.title;
    t.description = std::move(s.description);
    t.input_schema = std::move(s.input_schema);
    t.output_schema = mutation_output_schema();
    const bool preview = s.action == "preview";
    t.annotations.read_only = preview;
    // A preview tells whether the person will be asked to confirm (elicitation), which
    // only the session object can do.
    t.needs_session_object = true;
    t.annotations.destructive = !preview;
    t.annotations.idempotent = preview;
    t.annotations.open_world = true;
    // Only a grant that allows trading sees or calls a tool that changes something.
    if (!preview) t.required_scope = std::string(oauth::kScopeTrade);
    if (!preview) t.description += kAskThePersonNotice;
    std::string action = s.action;
    t.handler = [handler, action](mcp::RequestContext& ctx, const Json& args) {
      return handler(ctx, args, action);
    };
    catalog.tools.push_back(std::move(t));
  }
  // An order whose outcome was unknown is settled when the person next lists their orders.
  settle_orders_when_listed(catalog, names.orders, std::move(provider));
}

}  // namespace bmcp::orders
