// The tastytrade tools that only read. Each handler turns its arguments into tastytrade's
// query spelling, sends the request, and shapes the answer into a compact view (numbers
// instead of string decimals, signed amounts instead of `*-effect` pairs, camelCase keys).
#include "brokers/tastytrade/quote_cache.hpp"
#include "brokers/upstream/dates.hpp"
#include "brokers/upstream/url.hpp"
#include "effects/when_all.hpp"
#include "resources/resources.hpp"
#include "effects/host_api.hpp"
#include "brokers/broker_positions_resource.hpp"
#include "brokers/tastytrade/tastytrade_api.hpp"
#include "brokers/tastytrade/tastytrade_tools.hpp"
#include "brokers/tool_params.hpp"

#include <algorithm>
#include <cmath>

namespace bmcp::tastytrade {
namespace {

void put_num(Json& out, const char* name, const Json& in, const char* key) {
  if (auto v = decimal_member(in, key)) out[name] = *v;
}
void put_signed(Json& out, const char* name, const Json& in, const char* key) {
  if (auto v = signed_amount(in, key)) out[name] = *v;
}
void put_str(Json& out, const char* name, const Json& in, const char* key) {
  if (const Json* v = find_member(in, key); v && !v->is_null()) out[name] = *v;
}

std::vector<std::string> string_list(const Json& args, const char* key) {
  std::vector<std::string> out;
  const Json* v = find_member(args, key);
  auto add_split = [&out](const std::string& s) {
    std::string cur;
    for (char c : s + ",") {
      if (c == ',') {
        while (!cur.empty() && cur.back() == ' ') cur.pop_back();
        std::size_t b = cur.find_first_not_of(' ');
        if (b != std::string::npos) out.push_back(cur.substr(b));
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
  };
  if (!v) return out;
  if (v->is_string()) add_split(v->get<std::string>());
  if (v->is_array())
    for (const Json& s : *v)
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

// ---- views --------------------------------------------------------------------------
Json quote_view(const Json& q) {
  Json o = Json::object();
  put_str(o, "symbol", q, "symbol");
  put_str(o, "instrumentType", q, "instrument-type");
  for (auto [n, k] : {std::pair{"bid", "bid"},
                      {"ask", "ask"},
                      {"mid", "mid"},
                      {"mark", "mark"},
                      {"last", "last"},
                      {"open", "open"},
                      {"high", "day-high-price"},
                      {"low", "day-low-price"},
                      {"prevClose", "prev-close"},
                      {"volume", "volume"},
                      {"yearHigh", "year-high-price"},
                      {"yearLow", "year-low-price"},
                      {"bidSize", "bid-size"},
                      {"askSize", "ask-size"}})
    put_num(o, n, q, k);
  auto last = decimal_member(q, "last");
  if (!last) last = decimal_member(q, "mark");
  auto prev = decimal_member(q, "prev-close");
  if (last && prev && *prev != 0) {
    o["change"] = std::round((*last - *prev) * 10000) / 10000;
    o["changePercent"] = std::round((*last - *prev) / *prev * 10000) / 100;
  }
  put_str(o, "isTradingHalted", q, "is-trading-halted");
  put_str(o, "updatedAt", q, "updated-at");
  return o;
}

Json position_view(const Json& p) {
  Json o = Json::object();
  put_str(o, "symbol", p, "symbol");
  put_str(o, "underlying", p, "underlying-symbol");
  put_str(o, "instrumentType", p, "instrument-type");
  std::string dir = get_string(p, "quantity-direction").value_or("");
  double qty = decimal_member(p, "quantity").value_or(0);
  double mult = decimal_member(p, "multiplier").value_or(1);
  double sign = dir == "Short" ? -1 : 1;
  o["quantity"] = qty * sign;
  o["direction"] = dir;
  o["multiplier"] = mult;
  auto avg = decimal_member(p, "average-open-price");
  if (avg) {
    o["averageOpenPrice"] = *avg;
    o["costBasis"] = std::round(*avg * qty * mult * sign * 100) / 100;  // paid (+) or received (-)
  }
  auto mark_price = decimal_member(p, "mark-price");
  auto close = decimal_member(p, "close-price");
  if (mark_price) {
    o["markPrice"] = *mark_price;
    double value = *mark_price * qty * mult * sign;
    o["marketValue"] = std::round(value * 100) / 100;
    if (avg) o["unrealizedPnl"] = std::round((*mark_price - *avg) * qty * mult * sign * 100) / 100;
    if (close) o["dayPnl"] = std::round((*mark_price - *close) * qty * mult * sign * 100) / 100;
  }
  if (close) o["previousClose"] = *close;
  put_signed(o, "realizedToday", p, "realized-today");
  put_str(o, "expiresAt", p, "expires-at");
  put_str(o, "account", p, "account-number");
  return o;
}

Json balances_view(const Json& b) {
  Json o = Json::object();
  put_str(o, "account", b, "account-number");
  put_str(o, "currency", b, "currency");
  for (auto [n, k] : {std::pair{"netLiquidatingValue", "net-liquidating-value"},
                      {"cashBalance", "cash-balance"},
                      {"equityBuyingPower", "equity-buying-power"},
                      {"derivativeBuyingPower", "derivative-buying-power"},
                      {"dayTradingBuyingPower", "day-trading-buying-power"},
                      {"availableTradingFunds", "available-trading-funds"},
                      {"maintenanceRequirement", "maintenance-requirement"},
                      {"maintenanceExcess", "maintenance-excess"},
                      {"marginEquity", "margin-equity"},
                      {"cashAvailableToWithdraw", "cash-available-to-withdraw"},
                      {"longEquityValue", "long-equity-value"},
                      {"shortEquityValue", "short-equity-value"},
                      {"longDerivativeValue", "long-derivative-value"},
                      {"shortDerivativeValue", "short-derivative-value"}})
    put_num(o, n, b, k);
  put_signed(o, "pendingCash", b, "pending-cash");
  put_str(o, "updatedAt", b, "updated-at");
  return o;
}

}  // namespace

Json order_view(const Json& ord) {
  Json o = Json::object();
  put_str(o, "id", ord, "id");
  put_str(o, "account", ord, "account-number");
  for (auto [n, k] : {std::pair{"status", "status"},
                      {"orderType", "order-type"},
                      {"timeInForce", "time-in-force"},
                      {"underlying", "underlying-symbol"},
                      {"priceEffect", "price-effect"},
                      {"receivedAt", "received-at"},
                      {"cancellable", "cancellable"},
                      {"editable", "editable"},
                      {"replacesOrderId", "replaces-order-id"},
                      {"replacingOrderId", "replacing-order-id"},
                      {"rejectReason", "reject-reason"},
                      {"gtcDate", "gtc-date"},
                      {"terminalAt", "terminal-at"}})
    put_str(o, n, ord, k);
  put_signed(o, "price", ord, "price");
  put_num(o, "stopTrigger", ord, "stop-trigger");
  put_num(o, "size", ord, "size");
  if (const Json* u = find_member(ord, "updated-at")) {
    if (u->is_number_integer() && u->get<std::int64_t>() > 0)
      o["updatedAt"] = upstream::format_iso_ms(u->get<std::int64_t>());
    else if (u->is_string()) o["updatedAt"] = *u;
  }
  Json legs = Json::array();
  if (const Json* ls = find_member(ord, "legs"); ls && ls->is_array())
    for (const Json& l : *ls) {
      Json v = Json::object();
      put_str(v, "symbol", l, "symbol");
      put_str(v, "instrumentType", l, "instrument-type");
      put_str(v, "action", l, "action");
      put_num(v, "quantity", l, "quantity");
      put_num(v, "remainingQuantity", l, "remaining-quantity");
      if (const Json* f = find_member(l, "fills"); f && f->is_array() && !f->empty()) {
        Json fills = Json::array();
        for (const Json& x : *f) {
          Json fv = Json::object();
          put_num(fv, "quantity", x, "quantity");
          put_num(fv, "price", x, "fill-price");
          put_str(fv, "filledAt", x, "filled-at");
          fills.push_back(std::move(fv));
        }
        v["fills"] = std::move(fills);
      }
      legs.push_back(std::move(v));
    }
  o["legs"] = std::move(legs);
  return o;
}

namespace {

Json transaction_view(const Json& t) {
  Json o = Json::object();
  for (auto [n, k] : {std::pair{"id", "id"},
                      {"type", "transaction-type"},
                      {"subType", "transaction-sub-type"},
                      {"action", "action"},
                      {"symbol", "symbol"},
                      {"underlying", "underlying-symbol"},
                      {"instrumentType", "instrument-type"},
                      {"description", "description"},
                      {"executedAt", "executed-at"},
                      {"date", "transaction-date"},
                      {"orderId", "order-id"},
                      {"account", "account-number"}})
    put_str(o, n, t, k);
  put_num(o, "quantity", t, "quantity");
  put_num(o, "price", t, "price");
  put_signed(o, "value", t, "value");
  put_signed(o, "netValue", t, "net-value");
  put_signed(o, "commission", t, "commission");
  put_signed(o, "clearingFees", t, "clearing-fees");
  put_signed(o, "regulatoryFees", t, "regulatory-fees");
  return o;
}

double pct_of_fraction(double v) { return std::round(v * 10000) / 100; }

Json metrics_view(const Json& m) {
  Json o = Json::object();
  put_str(o, "symbol", m, "symbol");
  // tastytrade gives IV rank, IV percentile and the IV index as fractions 0-1; shown in percent.
  if (auto v = decimal_member(m, "implied-volatility-index-rank"))
    o["ivRank"] = pct_of_fraction(*v);
  else if (auto v2 = decimal_member(m, "implied-volatility-rank"))
    o["ivRank"] = pct_of_fraction(*v2);
  if (auto v = decimal_member(m, "implied-volatility-percentile"))
    o["ivPercentile"] = pct_of_fraction(*v);
  if (auto v = decimal_member(m, "implied-volatility-index")) o["ivIndex"] = pct_of_fraction(*v);
  put_str(o, "ivRankSource", m, "implied-volatility-index-rank-source");
  put_num(o, "iv30", m, "implied-volatility-30-day");
  put_num(o, "hv30", m, "historical-volatility-30-day");
  put_num(o, "hv60", m, "historical-volatility-60-day");
  put_num(o, "hv90", m, "historical-volatility-90-day");
  put_num(o, "ivHv30Difference", m, "iv-hv-30-day-difference");
  put_num(o, "liquidityRating", m, "liquidity-rating");
  // Not a 0-1 fraction (a real AAPL value is 1.516...): passed on as tastytrade gives it.
  put_num(o, "liquidityRank", m, "liquidity-rank");
  put_num(o, "beta", m, "beta");
  put_num(o, "marketCap", m, "market-cap");
  if (auto v = decimal_member(m, "dividend-yield")) o["dividendYield"] = pct_of_fraction(*v);
  put_str(o, "exDividendDate", m, "dividend-ex-date");
  if (const Json* e = find_member(m, "earnings"); e && e->is_object()) {
    put_str(o, "earningsDate", *e, "expected-report-date");
    put_str(o, "earningsDateEstimated", *e, "estimated");
  }
  put_str(o, "updatedAt", m, "updated-at");
  return o;
}

// ---- handlers --------------------------------------------------------------------------
using Handler = Task<mcp::ToolResult> (*)(brokers::BrokerCall&, Json);

Task<mcp::ToolResult> get_quote(brokers::BrokerCall& call, Json args) {
  std::vector<std::string> symbols = string_list(args, "symbols");
  if (symbols.empty()) co_return call.invalid("Give at least one symbol.");
  if (symbols.size() > kMaxQuoteSymbols) co_return call.invalid("At most 100 symbols per call.");
  std::vector<QuoteRequest> wanted;
  for (auto& s : symbols) wanted.push_back(classify_symbol(s));
  upstream::Outcome<QuoteBatch> fetched =
      co_await get_quotes(call.io(), call.kit().client, call.user(), std::move(wanted));
  if (!fetched.ok()) co_return call.fail(fetched.error());
  const QuoteBatch& batch = fetched.value();
  Json out = Json::object();
  Json quotes = Json::array();
  for (const Json& q : batch.quotes) quotes.push_back(quote_view(q));
  out["quotes"] = std::move(quotes);
  if (!batch.missing.empty()) out["notFound"] = batch.missing;
  out["fromCache"] = batch.cache_hits;
  out["asOf"] = upstream::format_iso_ms(batch.oldest_fetched_at_ms ? batch.oldest_fetched_at_ms
                                                                   : call.io().now_ms());
  out["note"] =
      "Quotes may be up to 60 seconds old (cached); the sandbox and delayed accounts are 15 "
      "minutes delayed.";
  co_return co_await call.finish(std::move(out));
}

Task<mcp::ToolResult> get_accounts(brokers::BrokerCall& call, Json) {
  upstream::UpstreamResult res = co_await call.get("/customers/me/accounts");
  if (!res.ok) co_return call.fail(res.error);
  co_await call.load_accounts(true);
  Json list = Json::array();
  for (const Json& item : items_of(res.response.json)) {
    const Json* a = find_member(item, "account");
    const Json& acct = a ? *a : item;
    if (get_bool(acct, "is-closed").value_or(false)) continue;
    Json o = Json::object();
    put_str(o, "account", acct, "account-number");
    for (auto [n, k] : {std::pair{"type", "account-type-name"},
                        {"nickname", "nickname"},
                        {"marginOrCash", "margin-or-cash"},
                        {"optionsLevel", "suitable-options-level"},
                        {"isFuturesApproved", "is-futures-approved"},
                        {"openedAt", "opened-at"}})
      put_str(o, n, acct, k);
    put_str(o, "authority", item, "authority-level");
    list.push_back(std::move(o));
  }
  Json out = Json::object();
  out["accounts"] = std::move(list);
  co_return co_await call.finish(std::move(out));
}

// One GET per account, in parallel; `view` shapes each item.
Task<mcp::ToolResult> per_account(brokers::BrokerCall& call, const Json& args, std::string suffix,
                                  std::string query, Json (*view)(const Json&), const char* key) {
  std::optional<mcp::ToolResult> failure;
  std::vector<privacy::AccountEntry> accounts =
      co_await call.accounts_for(get_string(args, "account").value_or(""), failure);
  if (failure) co_return std::move(*failure);
  std::vector<Task<upstream::UpstreamResult>> calls;
  for (const auto& a : accounts) calls.push_back(call.get(account_path(a) + suffix, query));
  std::vector<upstream::UpstreamResult> results = co_await when_all(std::move(calls));
  Json list = Json::array();
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok) co_return call.fail(results[i].error);
    for (const Json& item : items_of(results[i].response.json)) {
      Json v = view(item);
      v["account"] = accounts[i].display_name;
      list.push_back(std::move(v));
    }
  }
  Json out = Json::object();
  out[key] = std::move(list);
  co_return co_await call.finish(std::move(out), "name one account");
}

Task<mcp::ToolResult> get_balances(brokers::BrokerCall& call, Json args) {
  co_return co_await per_account(call, args, "/balances", "", balances_view, "balances");
}

std::string positions_query(const Json& args) {
  upstream::QueryString q;
  q.add("include-marks", "true");
  for (const auto& s : string_list(args, "symbols")) q.add("symbol[]", s);
  for (const auto& s : string_list(args, "underlyingSymbols")) q.add("underlying-symbol[]", s);
  if (auto t = get_string(args, "instrumentType")) q.add("instrument-type", *t);
  return q.str();
}

Task<mcp::ToolResult> get_positions(brokers::BrokerCall& call, Json args) {
  PositionsFetch f = co_await fetch_positions(call, get_string(args, "account").value_or(""), args);
  if (!f.ok()) co_return std::move(f.error());
  Json out = Json::object();
  double day = 0, value = 0;
  std::size_t unpriced = 0, no_day = 0;
  for (const Json& p : f.value()) {
    if (auto v = get_number(p, "marketValue")) value += *v;
    else ++unpriced;
    if (auto d = get_number(p, "dayPnl")) day += *d;
    else ++no_day;
  }
  out["count"] = f.value().size();
  // A total over positions without a mark would be a zero (or a part) that is not true:
  // it is "unknown", and the answer says how many positions lack what.
  Json totals = Json::object();
  totals["marketValue"] = unpriced ? Json("unknown") : Json(std::round(value * 100) / 100);
  totals["dayPnl"] = no_day ? Json("unknown") : Json(std::round(day * 100) / 100);
  if (unpriced || no_day)
    totals["note"] =
        std::to_string(unpriced) + " of " + std::to_string(f.value().size()) +
        " positions have no mark from tastytrade and " + std::to_string(no_day) +
        " no previous close, so those totals are unknown; get_quote gives current prices.";
  out["totals"] = std::move(totals);
  out["positions"] = std::move(f.value());
  co_return co_await call.finish(std::move(out), "filter by account or symbol");
}

std::string date_arg(const Json& args, const char* key) {
  return get_string(args, key).value_or("");
}

Task<mcp::ToolResult> get_transactions(brokers::BrokerCall& call, Json args) {
  const privacy::AccountEntry* a = co_await call.resolve(get_string(args, "account").value_or(""));
  if (!a) co_return call.unknown_account(get_string(args, "account").value_or(""));
  upstream::QueryString q;
  q.add("sort", "Desc");
  std::string start = date_arg(args, "startDate");
  if (start.empty())
    start = upstream::format_iso_ms(call.io().now_ms() - 30LL * 86400000).substr(0, 10);
  q.add("start-date", start);
  if (auto e = get_string(args, "endDate")) q.add("end-date", *e);
  for (const auto& t : string_list(args, "types")) q.add("types[]", t);
  if (auto s = get_string(args, "symbol")) q.add("symbol", *s);
  if (auto s = get_string(args, "underlyingSymbol")) q.add("underlying-symbol", *s);
  q.add("per-page", std::to_string(get_int(args, "perPage").value_or(50)));
  q.add("page-offset", std::to_string(get_int(args, "page").value_or(0)));
  upstream::UpstreamResult res = co_await call.get(account_path(*a) + "/transactions", q.str());
  if (!res.ok) co_return call.fail(res.error);
  Json list = Json::array();
  for (const Json& t : items_of(res.response.json)) list.push_back(transaction_view(t));
  Json out = Json::object();
  out["account"] = a->display_name;
  out["transactions"] = std::move(list);
  out["pagination"] = pagination_of(res.response.json);
  co_return co_await call.finish(std::move(out), "use a shorter date range or a smaller perPage");
}

Task<mcp::ToolResult> get_orders(brokers::BrokerCall& call, Json args) {
  bool live = get_bool(args, "live")
                  .value_or(!find_member(args, "startDate") && !find_member(args, "status"));
  if (live) co_return co_await per_account(call, args, "/orders/live", "", order_view, "orders");
  upstream::QueryString q;
  q.add("sort", "Desc");
  if (auto s = get_string(args, "startDate")) q.add("start-date", *s);
  if (auto s = get_string(args, "endDate")) q.add("end-date", *s);
  if (auto s = get_string(args, "underlyingSymbol")) q.add("underlying-symbol", *s);
  for (const auto& s : string_list(args, "status")) q.add("status[]", s);
  q.add("per-page", std::to_string(get_int(args, "perPage").value_or(50)));
  q.add("page-offset", std::to_string(get_int(args, "page").value_or(0)));
  co_return co_await per_account(call, args, "/orders", q.str(), order_view, "orders");
}

Task<mcp::ToolResult> get_order(brokers::BrokerCall& call, Json args) {
  const privacy::AccountEntry* a = co_await call.resolve(get_string(args, "account").value_or(""));
  if (!a) co_return call.unknown_account(get_string(args, "account").value_or(""));
  const Json* id = find_member(args, "orderId");
  std::string id_text = !id ? "" : id->is_string() ? id->get<std::string>() : id->dump();
  upstream::UpstreamResult res =
      co_await call.get(account_path(*a) + "/orders/" + upstream::percent_encode(id_text));
  if (!res.ok) co_return call.fail(res.error);
  Json out = Json::object();
  out["order"] = order_view(data_of(res.response.json));
  out["order"]["account"] = a->display_name;
  co_return co_await call.finish(std::move(out));
}

Task<mcp::ToolResult> get_option_chain(brokers::BrokerCall& call, Json args) {
  std::string symbol = classify_symbol(get_string(args, "symbol").value_or("")).symbol;
  if (symbol.empty()) co_return call.invalid("Give the underlying symbol.");
  std::vector<Task<upstream::UpstreamResult>> calls;
  calls.push_back(call.get("/option-chains/" + upstream::percent_encode(symbol) + "/nested"));
  std::vector<upstream::UpstreamResult> res = co_await when_all(std::move(calls));
  if (!res[0].ok) co_return call.fail(res[0].error);
  std::vector<QuoteRequest> wanted;
  wanted.push_back(classify_symbol(symbol));
  upstream::Outcome<QuoteBatch> underlying =
      co_await get_quotes(call.io(), call.kit().client, call.user(), std::move(wanted));
  std::optional<double> spot;
  if (underlying.ok() && !underlying.value().quotes.empty()) {
    spot = decimal_member(underlying.value().quotes[0], "mark");
    if (!spot) spot = decimal_member(underlying.value().quotes[0], "last");
  }
  const bool full = get_string(args, "detail").value_or("compact") == "full";
  std::string from = get_string(args, "expirationFrom").value_or("");
  std::string to = get_string(args, "expirationTo").value_or("");
  std::int64_t max_exp =
      get_int(args, "maxExpirations").value_or(full ? 1000 : (from.empty() && to.empty() ? 4 : 12));
  std::int64_t around = get_int(args, "strikesAroundMoney").value_or(full ? 0 : 5);
  std::string side = get_string(args, "optionType").value_or("both");
  Json chains = Json::array();
  for (const Json& chain : items_of(res[0].response.json)) {
    Json c = Json::object();
    put_str(c, "root", chain, "root-symbol");
    put_str(c, "chainType", chain, "option-chain-type");
    put_str(c, "sharesPerContract", chain, "shares-per-contract");
    Json exps = Json::array();
    const Json* ex = find_member(chain, "expirations");
    if (ex && ex->is_array())
      for (const Json& e : *ex) {
        std::string date = get_string(e, "expiration-date").value_or("");
        if ((!from.empty() && date < from) || (!to.empty() && date > to)) continue;
        if (static_cast<std::int64_t>(exps.size()) >= max_exp) break;
        Json strikes = Json::array();
        const Json* ss = find_member(e, "strikes");
        std::vector<const Json*> rows;
        if (ss && ss->is_array())
          for (const Json& s : *ss) rows.push_back(&s);
        if (around > 0 && spot && !rows.empty()) {
          // The `around` strikes nearest the money on each side.
          std::size_t atm = 0;
          double best = 1e300;
          for (std::size_t i = 0; i < rows.size(); ++i) {
            double d = std::fabs(decimal_member(*rows[i], "strike-price").value_or(0) - *spot);
            if (d < best) best = d, atm = i;
          }
          const std::size_t n = static_cast<std::size_t>(around);
          std::size_t lo = atm > n ? atm - n : 0;
          std::size_t hi = std::min(rows.size(), atm + n + 1);
          rows = std::vector<const Json*>(rows.begin() + lo, rows.begin() + hi);
        }
        for (const Json* s : rows) {
          Json r = Json::object();
          put_num(r, "strike", *s, "strike-price");
          if (side != "put") put_str(r, "call", *s, "call");
          if (side != "call") put_str(r, "put", *s, "put");
          if (full) {
            put_str(r, "callStreamer", *s, "call-streamer-symbol");
            put_str(r, "putStreamer", *s, "put-streamer-symbol");
          }
          strikes.push_back(std::move(r));
        }
        Json ev = Json::object();
        ev["expiration"] = date;
        put_str(ev, "daysToExpiration", e, "days-to-expiration");
        put_str(ev, "type", e, "expiration-type");
        put_str(ev, "settlement", e, "settlement-type");
        ev["strikes"] = std::move(strikes);
        exps.push_back(std::move(ev));
      }
    c["expirations"] = std::move(exps);
    chains.push_back(std::move(c));
  }
  Json out = Json::object();
  out["underlying"] = symbol;
  if (spot) out["underlyingPrice"] = *spot;
  out["chains"] = std::move(chains);
  if (!full)
    out["note"] =
        "Compact: the first expirations in range and the strikes nearest the money. Use "
        "expirationFrom/"
        "expirationTo, strikesAroundMoney, maxExpirations or detail=full for more; get_quote "
        "prices the "
        "OCC symbols.";
  co_return co_await call.finish(std::move(out),
                                 "narrow expirationFrom/expirationTo or strikesAroundMoney");
}

Task<mcp::ToolResult> get_market_metrics(brokers::BrokerCall& call, Json args) {
  std::vector<std::string> symbols = string_list(args, "symbols");
  if (symbols.empty()) co_return call.invalid("Give at least one symbol.");
  std::string joined;
  for (auto& s : symbols) joined += (joined.empty() ? "" : ",") + classify_symbol(s).symbol;
  upstream::QueryString q;
  q.add("symbols", joined);
  upstream::UpstreamResult res = co_await call.get("/market-metrics", q.str());
  if (!res.ok) co_return call.fail(res.error);
  Json list = Json::array();
  for (const Json& m : items_of(res.response.json)) list.push_back(metrics_view(m));
  Json out = Json::object();
  out["metrics"] = std::move(list);
  out["scale"] =
      "ivRank, ivPercentile, ivIndex and dividendYield are percent (0-100), converted from "
      "tastytrade's 0-1 "
      "fractions (implied-volatility-index-rank, implied-volatility-percentile, "
      "implied-volatility-index, "
      "dividend-yield); iv30 and hv30/60/90 are percent as tastytrade gives them; liquidityRating "
      "is tastytrade's "
      "1-5 stars; liquidityRank is tastytrade's own liquidity score as given (not a percent; "
      "higher is more liquid).";
  co_return co_await call.finish(std::move(out));
}

Task<mcp::ToolResult> search_symbols(brokers::BrokerCall& call, Json args) {
  std::string query = get_string(args, "query").value_or("");
  if (query.empty()) co_return call.invalid("Give a search text.");
  upstream::UpstreamResult res =
      co_await call.get("/symbols/search/" + upstream::percent_encode(query));
  if (!res.ok) co_return call.fail(res.error);
  Json list = Json::array();
  for (const Json& s : items_of(res.response.json)) {
    Json o = Json::object();
    for (auto [n, k] : {std::pair{"symbol", "symbol"},
                        {"description", "description"},
                        {"instrumentType", "instrument-type"},
                        {"listedMarket", "listed-market"},
                        {"options", "options"},
                        {"isEtf", "is-etf"}})
      put_str(o, n, s, k);
    list.push_back(std::move(o));
    if (list.size() >= 25) break;
  }
  Json out = Json::object();
  out["results"] = std::move(list);
  co_return co_await call.finish(std::move(out));
}

Task<mcp::ToolResult> get_market_status(brokers::BrokerCall& call, Json args) {
  std::vector<std::string> collections = string_list(args, "collections");
  if (collections.empty()) collections = {"Equity"};
  upstream::QueryString q;
  for (const auto& c : collections) q.add("instrument-collections[]", c);
  upstream::UpstreamResult res = co_await call.get("/market-time/sessions/current", q.str());
  if (!res.ok) co_return call.fail(res.error);
  // One session (tastytrade's session-date, start-at, open-at, close-at, close-at-ext) in
  // the names every answer uses.
  auto session_view = [](const Json& s) {
    Json o = Json::object();
    for (auto [n, k] : {std::pair{"date", "session-date"},
                        {"startsAt", "start-at"},
                        {"opensAt", "open-at"},
                        {"closesAt", "close-at"},
                        {"extendedClosesAt", "close-at-ext"}})
      put_str(o, n, s, k);
    return o;
  };
  Json list = Json::array();
  for (const Json& s : items_of(res.response.json)) {
    Json o = session_view(s);
    for (auto [n, k] : {std::pair{"collection", "instrument-collection"},
                        {"status", "state"},
                        {"status", "status"},
                        {"timezone", "timezone"}})
      put_str(o, n, s, k);
    if (const Json* next = find_member(s, "next-session"); next && next->is_object()) {
      o["nextSession"] = session_view(*next);
      put_str(o, "nextOpen", *next, "open-at");
    }
    if (const Json* previous = find_member(s, "previous-session");
        previous && previous->is_object())
      o["previousSession"] = session_view(*previous);
    list.push_back(std::move(o));
  }
  Json out = Json::object();
  out["sessions"] = std::move(list);
  out["now"] = upstream::format_iso_ms(call.io().now_ms());
  co_return co_await call.finish(std::move(out));
}

// ---- the table ----------------------------------------------------------------------
using T = brokers::ParamType;
using Rows = std::vector<brokers::ToolParam>;

constexpr const char* kAccountDesc =
    "The account's display name, e.g. Individual-...123 (from get_accounts).";
constexpr const char* kInstrumentTypes = "Equity|Equity Option|Future|Future Option|Cryptocurrency";
constexpr const char* kOrderStatuses =
    "Received|Routed|In Flight|Live|Filled|Cancelled|Expired|Rejected|Contingent|Cancel "
    "Requested|Replace Requested|Removed|Partially Removed";

struct Spec {
  const char* name;
  const char* title;
  const char* description;
  Rows params;  // the arguments
  Handler handler;
  Rows answer;  // the answer's members; required: always there
};

std::vector<Spec> specs() {
  const brokers::ToolParam account{"account", T::String, kAccountDesc};
  const brokers::ToolParam page{
      "page",  T::Integer, "Which page of results, from 0 (see pagination in the answer).",
      nullptr, false,      0};
  std::vector<Spec> t;
  t.push_back(
      {"get_quote",
       "Quotes",
       "Current quotes (bid, ask, mark, last, day range, change, volume) for stocks, ETFs, "
       "indices (SPX, VIX), options (OCC symbols like 'AAPL  260116C00250000') and futures. "
       "Cached for 60 seconds.",
       {{"symbols", T::StringOrList,
         "Symbols, e.g. [\"AAPL\",\"SPY\"] or \"AAPL,SPY\" (up to 100).", nullptr, true}},
       get_quote,
       {{"quotes", T::Array,
         "One per symbol found: bid, ask, mark, last, day range, change, volume.", nullptr, true},
        {"notFound", T::StringArray, "Symbols tastytrade does not know."},
        {"fromCache", T::Integer, "How many quotes came from the 60-second cache."},
        {"asOf", T::String, "When the oldest quote was fetched (ISO time)."},
        {"note", T::String}}});
  t.push_back(
      {"get_accounts",
       "Accounts",
       "The person's tastytrade accounts: display name, type, margin or cash, options level.",
       {},
       get_accounts,
       {{"accounts", T::Array, "Each account: display name, type, margin or cash, options level.",
         nullptr, true}}});
  t.push_back({"get_balances",
               "Balances",
               "Balances of one account or all: net liquidating value, cash, buying power "
               "(equity, derivative, day trading), maintenance requirement and excess.",
               {account},
               get_balances,
               {{"balances", T::Array,
                 "Per account: net liquidating value, cash, buying power, maintenance "
                 "requirement and excess.",
                 nullptr, true}}});
  t.push_back(
      {"get_positions",
       "Positions",
       "Open positions with signed quantity (negative = short), cost basis, mark, market value, "
       "unrealized and day P&L; one account or all.",
       {account,
        {"symbols", T::StringArray,
         "Only these symbols: tickers or OCC option symbols, e.g. [\"AAPL\"]."},
        {"underlyingSymbols", T::StringArray,
         "Only positions on these underlyings (their options included), e.g. [\"SPY\"]."},
        {"instrumentType", T::Enum, "Only positions of this instrument type.", kInstrumentTypes}},
       get_positions,
       {{"count", T::Integer},
        {"totals", T::Object,
         "marketValue and dayPnl over all positions, or \"unknown\" when some positions have no "
         "mark (note says how many)."},
        {"positions", T::Array,
         "Each position with its account, signed quantity, cost basis, mark, market value, "
         "unrealized and day P&L.",
         nullptr, true}}});
  t.push_back(
      {"get_transactions",
       "Transactions",
       "An account's transactions (trades, money movements, dividends, fees), newest first; date "
       "range (default the last 30 days), type filter and pagination.",
       {{"account", T::String, kAccountDesc, nullptr, true},
        {"startDate", T::Date, "The first day, YYYY-MM-DD (default: 30 days ago)."},
        {"endDate", T::Date, "The last day, YYYY-MM-DD (default: today)."},
        {"types", T::StringArray, "Only these kinds of transaction.",
         "Trade|Money Movement|Receive Deliver|Fee"},
        {"symbol", T::String, "Only transactions in this symbol."},
        {"underlyingSymbol", T::String,
         "Only transactions on this underlying (its options included)."},
        page,
        {"perPage", T::Integer, "Transactions per page (default 50).", nullptr, false, 1, 250}},
       get_transactions,
       {{"account", T::String, "The account's display name."},
        {"transactions", T::Array, "Newest first.", nullptr, true},
        {"pagination", T::Object,
         "Page, per page, total items and pages, as tastytrade counts them."}}});
  t.push_back(
      {"get_orders",
       "Orders",
       "Orders of one account or all: today's live orders (default), or a historical search "
       "with startDate/endDate, status and underlyingSymbol.",
       {account,
        {"live", T::Boolean,
         "true: today's live orders; false: the order history. Default: live, unless startDate "
         "or status is given."},
        {"startDate", T::Date, "History: orders from this day, YYYY-MM-DD."},
        {"endDate", T::Date, "History: orders up to this day, YYYY-MM-DD."},
        {"status", T::StringArray, "History: only orders with these statuses.", kOrderStatuses},
        {"underlyingSymbol", T::String, "History: only orders on this underlying."},
        {"page", T::Integer, "History: which page of results, from 0.", nullptr, false, 0},
        {"perPage", T::Integer, "History: orders per page (default 50).", nullptr, false, 1, 250}},
       get_orders,
       {{"orders", T::Array, "Each order with its account, status, type, price, legs and fills.",
         nullptr, true}}});
  t.push_back({"get_order",
               "Order",
               "One order with its legs and fills.",
               {{"account", T::String, kAccountDesc, nullptr, true},
                {"orderId", T::TextOrInteger, "The order's id (from get_orders).", nullptr, true}},
               get_order,
               {{"order", T::Object, "The order with its legs and fills.", nullptr, true}}});
  t.push_back(
      {"get_option_chain",
       "Option chain",
       "An option chain nested by expiration with OCC symbols per strike. Compact by default: the "
       "first 4 expirations and the 5 strikes on each side of the money; filter by expiration "
       "range, strikes around the money, calls or puts.",
       {{"symbol", T::String, "The underlying, e.g. AAPL, SPY or SPX.", nullptr, true},
        {"expirationFrom", T::Date, "Only expirations on or after this day, YYYY-MM-DD."},
        {"expirationTo", T::Date, "Only expirations on or before this day, YYYY-MM-DD."},
        {"strikesAroundMoney", T::Integer,
         "Strikes on each side of the money per expiration (default 5; 0 with detail=full means "
         "all).",
         nullptr, false, 0, 100},
        {"maxExpirations", T::Integer,
         "At most this many expirations (default 4, or 12 with a date range).", nullptr, false, 1,
         100},
        {"optionType", T::Enum, "Calls, puts, or both (default).", "call|put|both"},
        {"detail", T::Enum,
         "compact (default): the limits above; full: every expiration and strike.",
         "compact|full"}},
       get_option_chain,
       {{"underlying", T::String},
        {"underlyingPrice", T::Number},
        {"chains", T::Array,
         "Per expiration: date, days to expiration, and strikes with call and put OCC symbols.",
         nullptr, true},
        {"note", T::String}}});
  t.push_back(
      {"get_market_metrics",
       "Market metrics",
       "Volatility and event data per symbol: IV rank and IV percentile (0-100), IV index, IV30, "
       "HV30/60/90, liquidity, beta, earnings and ex-dividend dates.",
       {{"symbols", T::StringOrList, "Symbols, e.g. [\"AAPL\",\"SPY\"] or \"AAPL,SPY\".", nullptr,
         true}},
       get_market_metrics,
       {{"metrics", T::Array,
         "Per symbol: ivRank, ivPercentile, ivIndex, iv30, hv30/60/90, liquidity, beta, earnings "
         "and ex-dividend dates.",
         nullptr, true},
        {"scale", T::String, "The unit of each field."}}});
  t.push_back({"search_symbols",
               "Search symbols",
               "Finds symbols by ticker prefix or company name.",
               {{"query", T::String,
                 "A ticker prefix or part of a company name, e.g. \"app\" or \"Apple\".", nullptr,
                 true, std::nullopt, std::nullopt, 1}},
               search_symbols,
               {{"results", T::Array, "Matching symbols with their descriptions (at most 25).",
                 nullptr, true}}});
  t.push_back(
      {"get_market_status",
       "Market status",
       "Whether markets are open now: the current or next session per instrument collection "
       "(Equity by default).",
       {{"collections", T::StringArray,
         "Which markets (default [\"Equity\"]): Equity, CME (futures), CFE (VIX futures), Smalls.",
         "Equity|CME|CFE|Smalls"}},
       get_market_status,
       {{"sessions", T::Array,
         "Per instrument collection: status, today's session times, and the next and previous "
         "session.",
         nullptr, true},
        {"now", T::String, "The time of the answer (ISO)."}}});
  return t;
}

Task<mcp::ToolResult> run(mcp::RequestContext& ctx, brokers::BrokerKitRef kit, Handler h,
                          Json args) {
  brokers::BrokerCall call(ctx, *kit);
  mcp::ToolResult r = co_await h(call, std::move(args));
  co_return r;
}

}  // namespace

Task<PositionsFetch> fetch_positions(brokers::BrokerCall& call, std::string account, Json filters) {
  Json positions = Json::array();
  std::optional<mcp::ToolResult> failure;
  const bool all = account.empty() && positions_query(filters) == "include-marks=true";
  std::vector<privacy::AccountEntry> accounts = co_await call.accounts_for(account, failure);
  if (failure) co_return PositionsFetch::failed(std::move(*failure));
  std::vector<Task<upstream::UpstreamResult>> calls;
  for (const auto& a : accounts)
    calls.push_back(call.get(account_path(a) + "/positions", positions_query(filters)));
  std::vector<upstream::UpstreamResult> results = co_await when_all(std::move(calls));
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok) co_return PositionsFetch::failed(call.fail(results[i].error));
    for (const Json& p : items_of(results[i].response.json)) {
      Json v = position_view(p);
      v["account"] = accounts[i].display_name;
      positions.push_back(std::move(v));
    }
  }
  positions = call.scrub(positions);
  if (all) {
    Json copy = positions;
    std::string user = call.user();
    co_await resources::save_positions_snapshot(
        call.io(), std::move(user), std::string(brokers::broker_id(brokers::Broker::Tastytrade)),
        std::move(copy));
  }
  co_return PositionsFetch::of(std::move(positions));
}

void add_read_tools(mcp::Catalog& catalog, brokers::BrokerKitRef kit) {
  for (const Spec& s : specs()) {
    mcp::ToolDefinition t;
    t.name = s.name;
    t.title = s.title;
    t.description = s.description;
    t.input_schema = brokers::input_schema(s.params);
    t.output_schema = brokers::output_schema(s.answer);
    t.annotations.read_only = true;
    t.annotations.destructive = false;
    t.annotations.idempotent = true;
    t.annotations.open_world = true;
    Handler h = s.handler;
    t.handler = [kit, h](mcp::RequestContext& ctx, const Json& args) -> Task<mcp::ToolResult> {
      return run(ctx, kit, h, args);
    };
    catalog.tools.push_back(std::move(t));
  }
}

namespace {
Task<resources::PositionsAnswer> positions_answer(brokers::BrokerCall& call) {
  Json no_filters = Json::object();
  PositionsFetch f = co_await fetch_positions(call, "", std::move(no_filters));
  if (f.ok()) co_return resources::PositionsAnswer::of(std::move(f.value()));
  co_return resources::PositionsAnswer::failed(brokers::failure_text(call, f.error()));
}
}  // namespace

void add_portfolio_resource(mcp::Catalog& catalog, brokers::BrokerKitRef kit) {
  brokers::add_positions_resource(catalog, std::move(kit), positions_answer);
}

}  // namespace bmcp::tastytrade
