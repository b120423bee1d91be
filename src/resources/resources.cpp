#include "resources/resources.hpp"

#include "effects/host_api.hpp"
#include "hub/announce.hpp"

#include <algorithm>
#include <cstdio>

namespace bmcp::resources {

namespace {
// "2026-06-12T19:33:24.172Z" (proleptic Gregorian, UTC).
std::string iso_ms(std::int64_t ms) {
  std::int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  std::int64_t rem = secs - days * 86400;
  std::int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100),
               mp = (5 * doy + 2) / 153;
  std::int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(rem / 3600), static_cast<long long>(rem % 3600 / 60),
                static_cast<long long>(rem % 60), static_cast<long long>(ms - secs * 1000));
  return buf;
}
}  // namespace

namespace {

double number_or_zero(const Json& holder, const char* key) {
  const Json* v = find_member(holder, key);
  return v && v->is_number() ? v->get<double>() : 0;
}

// What a snapshot holds — account, symbol and quantity of each position, in a fixed order —
// which changes when a fill or a transfer changes the positions, not when prices move.
// Reads both brokers' views: tastytrade's {symbol, quantity}, Schwab's {instrument.symbol,
// longQuantity, shortQuantity}.
std::vector<std::string> holdings_of(const Json& positions) {
  std::vector<std::string> rows;
  if (!positions.is_array()) return rows;
  for (const Json& p : positions) {
    std::string symbol = get_string(p, "symbol").value_or("");
    if (const Json* instrument = find_member(p, "instrument"); symbol.empty() && instrument)
      symbol = get_string(*instrument, "symbol").value_or("");
    const double quantity = find_member(p, "quantity") ? number_or_zero(p, "quantity")
                                                       : number_or_zero(p, "longQuantity") -
                                                             number_or_zero(p, "shortQuantity");
    rows.push_back(dump_json(Json::array({p.value("account", Json()), symbol, quantity})));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

Task<bool> save_positions_snapshot(Io& io, std::string user_id, std::string provider,
                                   Json positions) {
  // One transaction: the snapshot it replaces, then the new one.
  std::vector<std::pair<std::string, Json>> statements;
  statements.emplace_back("SELECT snapshot FROM positions WHERE user_id = ? AND provider = ?",
                          Json::array({user_id, provider}));
  statements.emplace_back(
      "INSERT INTO positions (user_id, provider, snapshot, fetched_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT(user_id, provider) DO UPDATE SET snapshot = excluded.snapshot, fetched_at = "
      "excluded.fetched_at",
      Json::array({user_id, provider, dump_json(positions), io.now_ms()}));
  std::vector<host::SqlResult> r = co_await host::d1_batch(io, std::move(statements));
  if (r.size() != 2 || !r[1].ok) co_return false;
  // Other holdings than the last read showed: the person's listeners hear that
  // portfolio://positions changed (a first snapshot changes nothing anyone saw).
  if (r[0].ok && !r[0].rows.empty()) {
    auto before = parse_json(get_string(r[0].rows[0], "snapshot").value_or(""));
    if (before && holdings_of(*before) != holdings_of(positions)) {
      std::string uri = kPositionsUri;
      co_await hub::announce_resource_updated(io, std::move(user_id), std::move(uri));
    }
  }
  co_return true;
}

Task<Json> load_positions_snapshot(Io& io, std::string user_id, std::string provider) {
  std::string sql = "SELECT snapshot, fetched_at FROM positions WHERE user_id = ? AND provider = ?";
  Json params = Json::array({std::move(user_id), std::move(provider)});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(params));
  if (!r.ok || r.rows.empty()) co_return Json();
  auto snapshot = parse_json(get_string(r.rows[0], "snapshot").value_or(""));
  if (!snapshot) co_return Json();
  Json out = Json::object();
  out["positions"] = std::move(*snapshot);
  out["fetchedAt"] = get_int(r.rows[0], "fetched_at").value_or(0);
  co_return out;
}

namespace {

mcp::ResourceContents json_contents(const std::string& uri, const Json& value) {
  return mcp::ResourceContents::text(uri, "application/json", dump_json(value));
}

Task<mcp::ResourceContents> read_positions(mcp::RequestContext& ctx, const std::string& provider,
                                           const PositionsFetcher& fetch) {
  const std::string user = ctx.principal().user_id;
  PositionsAnswer now = co_await fetch(ctx);
  Json out = Json::object();
  out["broker"] = provider;
  if (now.ok()) {
    std::string u = user;
    std::string p = provider;
    Json copy = now.value();
    co_await save_positions_snapshot(ctx.io(), std::move(u), std::move(p), std::move(copy));
    out["stale"] = false;
    out["asOf"] = iso_ms(ctx.io().now_ms());
    out["count"] = now.value().size();
    out["positions"] = std::move(now.value());
    co_return json_contents(kPositionsUri, out);
  }
  std::string u = user;
  std::string p = provider;
  Json snap = co_await load_positions_snapshot(ctx.io(), std::move(u), std::move(p));
  out["stale"] = true;
  out["error"] = now.error();
  if (snap.is_null()) {
    out["asOf"] = nullptr;
    out["positions"] = Json::array();
    out["note"] = "The broker could not be reached and there is no earlier snapshot.";
  } else {
    std::int64_t at = get_int(snap, "fetchedAt").value_or(0);
    out["asOf"] = iso_ms(at);
    out["ageSeconds"] = (ctx.io().now_ms() - at) / 1000;
    out["note"] = "The broker could not be reached; these are the positions as last fetched.";
    out["positions"] = std::move(snap["positions"]);
  }
  co_return json_contents(kPositionsUri, out);
}

Task<mcp::ResourceContents> read_analyses(mcp::RequestContext& ctx) {
  std::string sql =
      "SELECT id, kind, symbol, params, status, result, error, created_at, completed_at FROM "
      "analyses "
      "WHERE user_id = ? ORDER BY created_at DESC LIMIT ?";
  Json params = Json::array({ctx.principal().user_id, kAnalysesLimit});
  host::SqlResult r = co_await host::d1_query(ctx.io(), std::move(sql), std::move(params));
  Json out = Json::object();
  Json list = Json::array();
  for (Json& row : r.rows) {
    Json a = Json::object();
    a["id"] = row.value("id", Json());
    a["kind"] = row.value("kind", Json());
    a["symbol"] = row.value("symbol", Json());
    a["status"] = row.value("status", Json());
    for (const char* k : {"params", "result"}) {
      auto text = get_string(row, k);
      auto parsed = text ? parse_json(*text) : std::nullopt;
      a[k] = parsed ? std::move(*parsed) : Json();
    }
    if (auto e = get_string(row, "error")) a["error"] = *e;
    if (auto t = get_int(row, "created_at")) a["createdAt"] = iso_ms(*t);
    if (auto t = get_int(row, "completed_at")) a["completedAt"] = iso_ms(*t);
    list.push_back(std::move(a));
  }
  if (!r.ok) out["error"] = "The analysis history could not be read right now.";
  out["count"] = list.size();
  out["analyses"] = std::move(list);
  co_return json_contents(kAnalysesUri, out);
}

Task<mcp::ResourceContents> read_knowledge(mcp::RequestContext& ctx, std::string uri,
                                           std::string category, std::string topic) {
  for (const std::string* s : {&category, &topic})
    for (char c : *s)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
        co_return mcp::ResourceContents::not_found();
  auto obj = co_await host::r2_get(ctx.io(), knowledge_key(category, topic));
  if (!obj) co_return mcp::ResourceContents::not_found();
  mcp::ResourceContents contents =
      mcp::ResourceContents::text(uri, "text/markdown", std::move(obj->value));
  // The same guide for everyone, changed only when the documents are uploaded again.
  contents.cache = mcp::CacheHint{kKnowledgeTtlMs, true};
  co_return contents;
}

}  // namespace

mcp::ResourceDefinition make_positions_resource(std::string provider, PositionsFetcher fetch) {
  mcp::ResourceDefinition r;
  r.uri = kPositionsUri;
  r.name = "positions";
  r.title = "Open positions";
  r.description =
      "The person's open positions in every account (JSON): symbol, quantity with direction, cost "
      "basis, mark and "
      "day P&L. When the broker cannot be reached, the last snapshot is returned with stale=true "
      "and its time.";
  r.mime_type = "application/json";
  // Listeners hear of it when a read finds other holdings than the last (save_positions_snapshot).
  r.subscribable = true;
  r.read = [provider = std::move(provider), fetch = std::move(fetch)](
               mcp::RequestContext& ctx, const std::string&,
               const std::map<std::string, std::string>&) -> Task<mcp::ResourceContents> {
    return read_positions(ctx, provider, fetch);
  };
  return r;
}

mcp::ResourceDefinition make_analyses_resource() {
  mcp::ResourceDefinition r;
  r.uri = kAnalysesUri;
  r.name = "analyses";
  r.title = "Recent analyses";
  r.description =
      "The person's 20 most recent analyses (chart and options-strategy runs), newest first "
      "(JSON).";
  r.mime_type = "application/json";
  // Listeners hear of it when an analysis finishes (analysis_runs/analysis_events.cpp).
  r.subscribable = true;
  r.read = [](mcp::RequestContext& ctx, const std::string&,
              const std::map<std::string, std::string>&) -> Task<mcp::ResourceContents> {
    return read_analyses(ctx);
  };
  return r;
}

const std::vector<KnowledgeDoc>& knowledge_docs() {
  static const std::vector<KnowledgeDoc> docs = {
      {"options", "strategies", "Options strategies",
       "Overview of common option strategies: when to use each, risk, reward, breakevens."},
      {"options", "covered-calls", "Covered calls",
       "Selling calls against shares: strike and expiration choice, management, risks."},
      {"options", "cash-secured-puts", "Cash-secured puts",
       "Selling puts backed by cash: candidate selection, strikes, assignment."},
      {"options", "vertical-spreads", "Vertical spreads",
       "Debit and credit spreads: construction, max profit and loss, breakevens, management."},
      {"options", "greeks", "The Greeks",
       "Delta, gamma, theta, vega and rho in practice, for single options and positions."},
      {"risk", "position-sizing", "Position sizing",
       "How much to risk per trade, buying power use, and portfolio-level limits."},
  };
  return docs;
}

std::string knowledge_key(std::string_view category, std::string_view topic) {
  return "knowledge/" + std::string(category) + "/" + std::string(topic) + ".md";
}

void add_common_resources(mcp::Catalog& catalog) {
  catalog.resources.push_back(make_analyses_resource());
  for (const KnowledgeDoc& d : knowledge_docs()) {
    mcp::ResourceDefinition r;
    r.uri = std::string("knowledge://") + d.category + "/" + d.topic;
    r.name = std::string("knowledge-") + d.topic;
    r.title = d.title;
    r.description = d.description;
    r.mime_type = "text/markdown";
    std::string category = d.category, topic = d.topic;
    r.read = [category, topic](
                 mcp::RequestContext& ctx, const std::string& uri,
                 const std::map<std::string, std::string>&) -> Task<mcp::ResourceContents> {
      return read_knowledge(ctx, uri, category, topic);
    };
    catalog.resources.push_back(std::move(r));
  }
  mcp::ResourceTemplateDefinition t;
  t.uri_template = "knowledge://{category}/{topic}";
  t.name = "knowledge";
  t.title = "Trading knowledge";
  t.description =
      "Short practical guides stored with the server: options/strategies, options/covered-calls, "
      "options/cash-secured-puts, options/vertical-spreads, options/greeks, risk/position-sizing.";
  t.mime_type = "text/markdown";
  t.read = [](mcp::RequestContext& ctx, const std::string& uri,
              const std::map<std::string, std::string>& vars) -> Task<mcp::ResourceContents> {
    auto c = vars.find("category");
    auto tp = vars.find("topic");
    return read_knowledge(ctx, uri, c == vars.end() ? "" : c->second,
                          tp == vars.end() ? "" : tp->second);
  };
  t.complete = [](const std::string& var, const std::string& prefix) {
    std::vector<std::string> out;
    for (const KnowledgeDoc& d : knowledge_docs()) {
      std::string v = var == "category" ? d.category : var == "topic" ? d.topic : "";
      if (v.empty() || v.compare(0, prefix.size(), prefix) != 0) continue;
      bool seen = false;
      for (const auto& o : out) seen = seen || o == v;
      if (!seen) out.push_back(v);
    }
    return out;
  };
  catalog.resource_templates.push_back(std::move(t));
}

}  // namespace bmcp::resources
