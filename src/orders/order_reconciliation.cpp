#include "orders/order_reconciliation.hpp"

#include "brokers/upstream/dates.hpp"
#include "effects/host_api.hpp"
#include "mcp/request_context.hpp"
#include "orders/order_wording.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace bmcp::orders {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string text_of(const Json* v) {
  if (!v || v->is_null()) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number()) return number_text(*v);
  return "";
}

// The legs of an order in either broker's shape, as "SYMBOL|SIDE|QUANTITY", sorted:
// Schwab orderLegCollection[].{instrument.symbol, instruction, quantity}, tastytrade
// legs[].{symbol, action, quantity}. Empty when the order has no legs.
std::string legs_fingerprint(const Json& order) {
  const Json* legs = find_member(order, "orderLegCollection");
  if (!legs) legs = find_member(order, "legs");
  if (!legs || !legs->is_array()) return "";
  std::vector<std::string> parts;
  for (const Json& leg : *legs) {
    const Json* instrument = find_member(leg, "instrument");
    std::string symbol =
        text_of(instrument ? find_member(*instrument, "symbol") : find_member(leg, "symbol"));
    std::string side = text_of(find_member(leg, "instruction"));
    if (side.empty()) side = text_of(find_member(leg, "action"));
    std::string quantity = text_of(find_member(leg, "quantity"));
    if (symbol.empty() || side.empty() || quantity.empty()) return "";
    parts.push_back(upper(symbol) + "|" + upper(side) + "|" + quantity);
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += p + ";";
  return out;
}

struct ListedOrder {
  std::string id;
  std::string status;   // upper case
  std::string account;  // the display name, when the listing carries one
  std::optional<std::int64_t> entered_ms;
  std::string legs;
};

void collect(const Json& value, std::vector<ListedOrder>& out, bool in_orders = false) {
  if (value.is_array()) {
    for (const Json& v : value) collect(v, out, in_orders);
    return;
  }
  if (!value.is_object()) return;
  if (in_orders) {
    ListedOrder o;
    o.id = text_of(find_member(value, "orderId"));
    if (o.id.empty()) o.id = text_of(find_member(value, "id"));
    o.status = upper(text_of(find_member(value, "status")));
    o.account = text_of(find_member(value, "accountNumber"));
    if (o.account.empty()) o.account = text_of(find_member(value, "account"));
    std::string when = text_of(find_member(value, "enteredTime"));
    if (when.empty()) when = text_of(find_member(value, "receivedAt"));
    if (auto t = upstream::parse_time(when)) o.entered_ms = t->epoch_ms;
    o.legs = legs_fingerprint(value);
    if (!o.id.empty()) out.push_back(std::move(o));
    // Child orders (Schwab's OCO / trigger strategies) are orders too.
    if (const Json* children = find_member(value, "childOrderStrategies"))
      collect(*children, out, true);
    return;
  }
  for (auto it = value.begin(); it != value.end(); ++it)
    collect(it.value(), out, it.key() == "orders");
}

struct Decision {
  std::string status;  // "succeeded" | "failed"; empty: undecided
  std::string order_id;
  std::string words;
};

std::string when_text(std::int64_t ms) { return upstream::format_iso_ms(ms); }

Decision decide(const Json& row, const Json& request, const std::vector<ListedOrder>& listed,
                std::set<std::string>& claimed) {
  const std::string action = text_of(find_member(row, "action"));
  const std::string account = text_of(find_member(row, "account_display"));
  const std::int64_t created = get_int(row, "created_at").value_or(0);
  const std::string intro = "The " + action + " request of " + when_text(created) + " (" + account +
                            "), whose outcome was unknown, ";
  Decision d;
  if (action == "place") {
    const std::string want = legs_fingerprint(request.value("order", Json::object()));
    if (want.empty()) return d;
    for (const ListedOrder& o : listed) {
      if (o.legs != want || claimed.count(o.id)) continue;
      if (!o.account.empty() && o.account != account) continue;
      if (!o.entered_ms || *o.entered_ms < created - kClockSkewMs) continue;
      claimed.insert(o.id);
      d.status = "succeeded";
      d.order_id = o.id;
      d.words = intro + "reached the broker: it is order " + o.id + " (" + o.status +
                "). Do not place it again.";
      return d;
    }
    d.status = "failed";
    d.words =
        intro +
        "did not reach the broker: no matching order was entered since then. It was not placed.";
    return d;
  }
  const std::string target = text_of(find_member(request, "orderId"));
  if (target.empty()) return d;
  for (const ListedOrder& o : listed) {
    if (o.id != target) continue;
    const bool done = action == "cancel" ? o.status.find("CANCEL") != std::string::npos
                                         : o.status.find("REPLACE") != std::string::npos;
    d.order_id = o.id;
    d.status = done ? "succeeded" : "failed";
    d.words = intro + (done ? "took effect" : "did not take effect") + ": order " + o.id + " is " +
              o.status + ".";
    return d;
  }
  return d;  // the order is not in this listing: undecided
}

}  // namespace

Task<Json> reconcile_unsettled_orders(Io& io, std::string user_id, std::string provider,
                                      Json listed_value) {
  Json notes = Json::array();
  std::string sql =
      "SELECT id, action, account_display, request, result, created_at FROM order_journal "
      "WHERE user_id = ?1 AND provider = ?2 AND status IN ('sent', 'unknown') AND created_at <= ?3 "
      "ORDER BY created_at LIMIT 20";
  Json params = Json::array({user_id, provider, io.now_ms() - kReconcileAfterMs});
  host::SqlResult pending = co_await host::d1_query(io, std::move(sql), std::move(params));
  if (!pending.ok || pending.rows.empty()) co_return notes;

  std::vector<ListedOrder> listed;
  collect(listed_value, listed);
  std::set<std::string> claimed;
  for (const Json& row : pending.rows) {
    Json request = parse_json(text_of(find_member(row, "request"))).value_or(Json::object());
    Decision d = decide(row, request, listed, claimed);
    const std::string id = text_of(find_member(row, "id"));
    if (d.status.empty()) {
      notes.push_back(
          {{"journal", id},
           {"settled", false},
           {"note", "An earlier " + text_of(find_member(row, "action")) +
                        " request's outcome is still unknown and is not decided by this listing; "
                        "look for it in the account's orders before repeating it."}});
      continue;
    }
    Json result = {{"reconciled", true}, {"reconciledAt", io.now_ms()}};
    if (!d.order_id.empty()) result["orderId"] = d.order_id;
    std::string update =
        "UPDATE order_journal SET status = ?1, result = ?2, completed_at = ?3 "
        "WHERE id = ?4 AND user_id = ?5 AND status IN ('sent', 'unknown')";
    Json update_params = Json::array({d.status, dump_json(result), io.now_ms(), id, user_id});
    host::SqlResult marked =
        co_await host::d1_query(io, std::move(update), std::move(update_params));
    if (!marked.ok || marked.changes != 1) continue;  // settled meanwhile by another call
    notes.push_back({{"journal", id}, {"settled", true}, {"status", d.status}, {"note", d.words}});
  }
  co_return notes;
}

namespace {

Task<mcp::ToolResult> list_then_settle(mcp::RequestContext& ctx, mcp::ToolHandler inner,
                                       std::string provider, Json args) {
  mcp::ToolResult result = co_await inner(ctx, args);
  if (result.is_error || !result.structured) co_return result;
  Json listed = *result.structured;
  Json notes = co_await reconcile_unsettled_orders(ctx.io(), ctx.principal().user_id,
                                                   std::move(provider), std::move(listed));
  if (notes.empty()) co_return result;
  std::string words;
  for (const Json& n : notes)
    words += (words.empty() ? "" : "\n") + text_of(find_member(n, "note"));
  (*result.structured)["unsettledOrders"] = notes;
  result.content.push_back({{"type", "text"}, {"text", words}});
  co_return result;
}

}  // namespace

void settle_orders_when_listed(mcp::Catalog& catalog, const std::string& listing_tool,
                               std::string provider) {
  for (mcp::ToolDefinition& tool : catalog.tools) {
    if (tool.name != listing_tool) continue;
    mcp::ToolHandler inner = tool.handler;
    tool.handler = [inner, provider](mcp::RequestContext& ctx, const Json& args) {
      return list_then_settle(ctx, inner, provider, args);
    };
  }
}

}  // namespace bmcp::orders
