// The Schwab tools that only read: a table of tools, each one Schwab endpoint with its
// parameters, and one generic handler that turns arguments into the request Schwab
// expects (dates in Schwab's formats, lists comma-joined, display names resolved to
// account hashes), sends it, and shapes, scrubs and caps the answer.
#include "brokers/broker_positions_resource.hpp"
#include "brokers/schwab/schwab_api.hpp"
#include "brokers/schwab/schwab_views.hpp"
#include "brokers/tool_params.hpp"
#include "brokers/upstream/dates.hpp"
#include "brokers/upstream/url.hpp"
#include "effects/when_all.hpp"
#include "orders/order_wording.hpp"
#include "privacy/account_scrubber.hpp"
#include "resources/resources.hpp"
#include "brokers/schwab/schwab_tools.hpp"

#include <cstdlib>

namespace bmcp::schwab {
namespace {

using T = brokers::ParamType;

// How an argument is written into Schwab's request, beyond what its declared type says.
enum class Wire : std::uint8_t {
  AsDeclared,  // text as given; numbers and booleans as JSON writes them; lists comma-joined
  Day,         // an ISO date or date-time, sent as Schwab's yyyy-MM-dd
  From,        // an ISO date or date-time, sent as ISO-8601 with milliseconds
  To,          // the same, a date alone meaning the end of that day
  EpochMs,     // an ISO date or date-time, or epoch milliseconds, sent as epoch milliseconds
  Account,     // a display name, sent as the account's hash
  NotSent,     // read by the tool itself (detail)
};

// One parameter: its declaration (shared with every broker tool) and how Schwab takes it.
struct P {
  brokers::ToolParam decl;
  Wire wire = Wire::AsDeclared;
  bool path = false;  // substituted into the path template as {name}
};

struct ReadTool {
  const char* name;
  const char* title;
  const char* description;
  const char* path;  // "/marketdata/v1/{symbol_id}/quotes"
  std::vector<P> params;
  bool trader = false;         // needs the person's accounts
  const char* wrap = nullptr;  // key for an array answer
  const char* hint = "";
  const char* fixed_query = nullptr;           // always sent
  const char* path_without_account = nullptr;  // when the optional account is absent
  bool fan_out = false;                        // no account given: ask for every account, merge
  void (*defaults)(Json& args, std::int64_t now_ms) = nullptr;
  Json (*shape)(Json data, const Json& args) = nullptr;
};

constexpr const char* kAccountDesc =
    "The account's display name, e.g. Individual-...123 (getAccountNumbers lists them). Account "
    "numbers are "
    "never needed.";
constexpr const char* kDetailDesc =
    "compact (default): the useful fields only; full: Schwab's answer with every field.";
constexpr const char* kOrderStatuses =
    "AWAITING_PARENT_ORDER|AWAITING_CONDITION|AWAITING_STOP_CONDITION|AWAITING_MANUAL_REVIEW|"
    "ACCEPTED|"
    "AWAITING_UR_OUT|PENDING_ACTIVATION|QUEUED|WORKING|REJECTED|PENDING_CANCEL|CANCELED|PENDING_"
    "REPLACE|REPLACED|"
    "FILLED|EXPIRED|NEW|AWAITING_RELEASE_TIME|PENDING_ACKNOWLEDGEMENT|PENDING_RECALL|UNKNOWN";
constexpr const char* kTransactionTypes =
    "TRADE|RECEIVE_AND_DELIVER|DIVIDEND_OR_INTEREST|ACH_RECEIPT|ACH_DISBURSEMENT|CASH_RECEIPT|CASH_"
    "DISBURSEMENT|"
    "ELECTRONIC_FUND|WIRE_OUT|WIRE_IN|JOURNAL|MEMORANDUM|MARGIN_CALL|MONEY_MARKET|SMA_ADJUSTMENT";
constexpr const char* kQuoteFields = "quote|fundamental|extended|reference|regular|all";
constexpr const char* kMarkets = "equity|option|bond|future|forex";
constexpr std::int64_t kDefaultWindowDays = 30;

// The wire text of one argument; nullopt (and `problem` set) when it cannot be understood.
std::optional<std::string> encode(const P& p, const Json& v, std::string& problem) {
  auto bad = [&](std::string what) {
    problem = std::string("arguments.") + p.decl.name + ": " + what;
    return std::nullopt;
  };
  switch (p.wire) {
    case Wire::Day:
    case Wire::From:
    case Wire::To:
    case Wire::EpochMs: {
      if (v.is_number_integer()) return v.dump();
      auto t = upstream::parse_time(v.get<std::string>());
      if (!t)
        return bad(
            "expected a date like 2024-05-07 or a date-time like 2024-05-07T13:30:00Z, got '" +
            v.get<std::string>().substr(0, 40) + "'");
      if (p.wire == Wire::Day) return upstream::format_date(t->epoch_ms);
      std::int64_t ms =
          t->epoch_ms + (p.wire == Wire::To && t->date_only ? upstream::kDayMs - 1 : 0);
      if (p.wire == Wire::EpochMs) return std::to_string(ms);
      return upstream::format_iso_ms(ms);
    }
    default: break;
  }
  switch (p.decl.type) {
    case T::Boolean: return std::string(v.get<bool>() ? "true" : "false");
    case T::Integer:
    case T::Number:
    case T::IntegerEnum: return orders::number_text(v);
    case T::StringOrList: {
      if (v.is_string()) return v.get<std::string>();
      std::string out;
      for (const Json& e : v)
        if (e.is_string()) out += (out.empty() ? "" : ",") + e.get<std::string>();
      if (out.empty()) return bad("give at least one value");
      return out;
    }
    default: return v.is_string() ? v.get<std::string>() : dump_json(v);
  }
}

// ---- defaults --------------------------------------------------------------------------

void window(Json& args, const char* from, const char* to, std::int64_t now) {
  bool has_from = args.contains(from), has_to = args.contains(to);
  if (!has_to) args[to] = upstream::format_iso_ms(now);
  if (!has_from) {
    std::int64_t end = now;
    if (has_to && args[to].is_string())
      if (auto t = upstream::parse_time(args[to].get<std::string>())) end = t->epoch_ms;
    args[from] = upstream::format_iso_ms(end - kDefaultWindowDays * upstream::kDayMs);
  }
}

void orders_defaults(Json& args, std::int64_t now) {
  window(args, "fromEnteredTime", "toEnteredTime", now);
}

void transactions_defaults(Json& args, std::int64_t now) {
  window(args, "startDate", "endDate", now);
  if (!args.contains("types")) {
    std::string all = kTransactionTypes;
    for (char& c : all)
      if (c == '|') c = ',';
    args["types"] = all;
  }
}

void chain_defaults(Json& args, std::int64_t) {
  bool full = get_string(args, "detail").value_or("") == "full";
  if (!full && !args.contains("strikeCount") && !args.contains("strike") && !args.contains("range"))
    args["strikeCount"] = 10;
}

// ---- shapes ------------------------------------------------------------------------------

bool full_detail(const Json& args) { return get_string(args, "detail").value_or("") == "full"; }

Json accounts_shape(Json data, const Json& args) {
  Json list = Json::array();
  if (data.is_array())
    for (const Json& e : data)
      list.push_back(full_detail(args) ? schwab::full_account(e) : schwab::compact_account(e));
  return {{"accounts", list}};
}

Json account_shape(Json data, const Json& args) {
  return full_detail(args) ? schwab::full_account(data) : schwab::compact_account(data);
}

Json positions_shape(Json data, const Json& args) {
  Json list = Json::array();
  Json entries = data.is_array() ? data : Json::array({data});
  for (const Json& e : entries) {
    const Json* sa = find_member(e, "securitiesAccount");
    if (!sa) continue;
    Json item = {{"accountNumber", sa->value("accountNumber", Json())},
                 {"type", sa->value("type", Json())}};
    Json positions = Json::array();
    if (const Json* ps = find_member(*sa, "positions"); ps && ps->is_array())
      for (const Json& p : *ps)
        positions.push_back(full_detail(args) ? p : schwab::compact_position(p));
    item["positions"] = std::move(positions);
    list.push_back(std::move(item));
  }
  return {{"accounts", list}};
}

Json chain_shape(Json data, const Json& args) {
  return full_detail(args) ? data : schwab::compact_option_chain(std::move(data));
}

// ---- the table -----------------------------------------------------------------------------

std::vector<ReadTool> read_tools() {
  const P account{{"account", T::String, kAccountDesc, nullptr, true}, Wire::Account, true};
  const P any_account{
      {"account", T::String,
       "Only this account (display name, e.g. Individual-...123); all accounts when omitted."},
      Wire::Account,
      true};
  const P detail{{"detail", T::Enum, kDetailDesc, "compact|full"}, Wire::NotSent};
  const P fields{{"fields", T::Enum, "positions: include the account's positions.", "positions"}};
  const std::vector<P> order_filters = {
      {{"fromEnteredTime", T::String,
        "Orders entered at or after this ISO date or date-time (default: 30 days before "
        "toEnteredTime)."},
       Wire::From},
      {{"toEnteredTime", T::String,
        "Orders entered at or before this ISO date or date-time (default: now). A date alone means "
        "the end of that day."},
       Wire::To},
      {{"maxResults", T::Integer, "At most this many orders (Schwab's default 3000)."}},
      {{"status", T::Enum, "Only orders with this status.", kOrderStatuses}},
  };
  auto with = [](std::vector<P> a, const std::vector<P>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  const char* orders_hint =
      "Ask for a shorter window (fromEnteredTime/toEnteredTime), a status, or fewer maxResults.";
  std::vector<ReadTool> t;

  t.push_back({"getAccounts",
               "Accounts",
               "Lists the person's Schwab accounts with balances (and positions with "
               "fields=positions), each named "
               "by its display name.",
               "/trader/v1/accounts",
               {fields, detail},
               true,
               nullptr,
               "Use detail=compact, or getAccount for one account.",
               nullptr,
               nullptr,
               false,
               nullptr,
               accounts_shape});
  t.push_back({"getAccount",
               "Account",
               "One Schwab account's balances (and positions with fields=positions).",
               "/trader/v1/accounts/{account}",
               {account, fields, detail},
               true,
               nullptr,
               "Use detail=compact.",
               nullptr,
               nullptr,
               false,
               nullptr,
               account_shape});
  t.push_back({"getAccountPositions",
               "Positions",
               "The positions held in one Schwab account, or in every account: instrument, "
               "quantity, average "
               "price, market value and profit/loss.",
               "/trader/v1/accounts/{account}",
               {any_account, detail},
               true,
               nullptr,
               "Ask for one account, or detail=compact.",
               "fields=positions",
               "/trader/v1/accounts",
               false,
               nullptr,
               positions_shape});
  t.push_back({"getOrders", "Orders (all accounts)",
               "Orders in all Schwab accounts entered in a time window (default: the last 30 days; "
               "Schwab allows "
               "at most 60 days here).",
               "/trader/v1/orders", order_filters, true, "orders", orders_hint, nullptr, nullptr,
               false, orders_defaults});
  t.push_back({"getOrdersByAccountNumber", "Orders (one account)",
               "Orders in one Schwab account entered in a time window (default: the last 30 days; "
               "at most one year).",
               "/trader/v1/accounts/{account}/orders", with({account}, order_filters), true,
               "orders", orders_hint, nullptr, nullptr, false, orders_defaults});
  t.push_back(
      {"getOrder",
       "Order",
       "One order of a Schwab account, with its status and fills.",
       "/trader/v1/accounts/{account}/orders/{orderId}",
       {account,
        {{"orderId", T::Integer, "The order id (from getOrders or placeOrder).", nullptr, true},
         Wire::AsDeclared,
         true}},
       true});
  t.push_back(
      {"getTransactions",
       "Transactions",
       "Transactions (trades, dividends, transfers, fees) of one Schwab account or of every "
       "account, in a "
       "date window (default: the last 30 days; at most one year).",
       "/trader/v1/accounts/{account}/transactions",
       {any_account,
        {{"startDate", T::String,
          "From this ISO date or date-time (default: 30 days before endDate)."},
         Wire::From},
        {{"endDate", T::String, "Until this ISO date or date-time (default: now)."}, Wire::To},
        {{"types", T::StringOrList, "Transaction types, one or several (default: all).",
          kTransactionTypes}},
        {{"symbol", T::String, "Only transactions in this symbol."}}},
       true,
       "transactions",
       "Ask for a shorter window, one account, types or a symbol.",
       nullptr,
       nullptr,
       true,
       transactions_defaults});
  t.push_back({"getTransaction",
               "Transaction",
               "One transaction of a Schwab account, by its id (activityId).",
               "/trader/v1/accounts/{account}/transactions/{transactionId}",
               {account,
                {{"transactionId", T::Integer,
                  "The transaction's activityId (from getTransactions).", nullptr, true},
                 Wire::AsDeclared,
                 true}},
               true,
               "transactions"});
  t.push_back({"getUserPreference",
               "User preferences",
               "The person's Schwab preferences: accounts with nicknames, streamer settings and "
               "market-data "
               "permissions.",
               "/trader/v1/userPreference",
               {},
               true});

  t.push_back(
      {"getQuotes",
       "Quotes",
       "Real-time quotes for one or more symbols: equities, ETFs, indices ($SPX), options (OCC "
       "symbols "
       "such as 'AAPL  241018C00230000'), mutual funds, futures, forex.",
       "/marketdata/v1/quotes",
       {{{"symbols", T::StringOrList, "Symbols: an array or a comma-separated string.", nullptr,
          true}},
        {{"fields", T::StringOrList, "Which blocks to return (default all).", kQuoteFields}},
        {{"indicative", T::Boolean, "Also return indicative quotes for ETFs ($ABC.IV)."}}},
       false,
       nullptr,
       "Ask for fewer symbols or fields."});
  t.push_back(
      {"getQuoteBySymbolId",
       "Quote",
       "The real-time quote for one symbol: equity, ETF, index ($SPX) or option (OCC symbol).",
       "/marketdata/v1/{symbol_id}/quotes",
       {{{"symbol_id", T::String, "The symbol, e.g. AAPL, $SPX or an OCC option symbol.", nullptr,
          true},
         Wire::AsDeclared,
         true},
        {{"fields", T::StringOrList, "Which blocks to return (default all).", kQuoteFields}}}});
  t.push_back(
      {"searchInstruments",
       "Search instruments",
       "Finds instruments by symbol or description. projection: symbol-search (exact symbols, "
       "comma "
       "separated), symbol-regex, desc-search, desc-regex, search, fundamental (with "
       "fundamentals).",
       "/marketdata/v1/instruments",
       {{{"symbol", T::String, "Symbol(s), a regular expression or words, depending on projection.",
          nullptr, true}},
        {{"projection", T::Enum, "How to search.",
          "symbol-search|symbol-regex|desc-search|desc-regex|search|fundamental", true}}},
       false,
       nullptr,
       "Search more narrowly."});
  t.push_back({"getInstrumentByCusip",
               "Instrument by CUSIP",
               "The instrument with this CUSIP.",
               "/marketdata/v1/instruments/{cusip_id}",
               {{{"cusip_id", T::String, "The CUSIP, e.g. 037833100.", nullptr, true},
                 Wire::AsDeclared,
                 true}}});
  t.push_back(
      {"getMarketHours",
       "Market hours",
       "Whether markets are open on a date, with their pre-market, regular and after-hours "
       "sessions.",
       "/marketdata/v1/markets",
       {{{"markets", T::StringOrList, "One or more markets.", kMarkets, true}},
        {{"date", T::String, "The day (ISO date; today up to a year ahead). Default today."},
         Wire::Day}}});
  t.push_back(
      {"getMarketHoursByMarketId",
       "Market hours (one market)",
       "The hours of one market on a date.",
       "/marketdata/v1/markets/{market_id}",
       {{{"market_id", T::Enum, "The market.", kMarkets, true}, Wire::AsDeclared, true},
        {{"date", T::String, "The day (ISO date; today up to a year ahead). Default today."},
         Wire::Day}}});
  t.push_back(
      {"getMovers",
       "Movers",
       "The top 10 movers of an index or market, by volume, trades or percent change.",
       "/marketdata/v1/movers/{symbol_id}",
       {{{"symbol_id", T::Enum, "The index or market.",
          "$DJI|$COMPX|$SPX|NYSE|NASDAQ|OTCBB|INDEX_ALL|EQUITY_ALL|OPTION_ALL|OPTION_PUT|OPTION_"
          "CALL",
          true},
         Wire::AsDeclared,
         true},
        {{"sort", T::Enum, "Sort order.", "VOLUME|TRADES|PERCENT_CHANGE_UP|PERCENT_CHANGE_DOWN"}},
        {{"frequency", T::IntegerEnum,
          "Only movers that moved at least this many percent (0 = all).", "0|1|5|10|30|60"}}}});
  t.push_back(
      {"getOptionChain",
       "Option chain",
       "The option chain of a symbol with quotes and greeks. Every Schwab filter is supported. The "
       "compact "
       "default keeps price, volume, open interest, volatility and greeks per contract and, when "
       "no "
       "strikeCount, strike or range is given, 10 strikes around the money.",
       "/marketdata/v1/chains",
       {{{"symbol", T::String, "The underlying symbol, e.g. AAPL or $SPX.", nullptr, true}},
        {{"contractType", T::Enum, "Calls, puts or both (default ALL).", "CALL|PUT|ALL"}},
        {{"strikeCount", T::Integer, "Number of strikes around the money."}},
        {{"includeUnderlyingQuote", T::Boolean, "Include the underlying's quote."}},
        {{"strategy", T::Enum,
          "Chain strategy (default SINGLE); ANALYTICAL uses volatility, underlyingPrice, "
          "interestRate and daysToExpiration.",
          "SINGLE|ANALYTICAL|COVERED|VERTICAL|CALENDAR|STRANGLE|STRADDLE|BUTTERFLY|CONDOR|DIAGONAL|"
          "COLLAR|ROLL"}},
        {{"interval", T::Number, "Strike interval for spread strategies."}},
        {{"strike", T::Number, "Only this strike price."}},
        {{"range", T::Enum,
          "ITM, NTM, OTM, SAK (strikes above market), SBK (below), SNK (near), ALL.",
          "ITM|NTM|OTM|SAK|SBK|SNK|ALL"}},
        {{"fromDate", T::String, "Expirations from this ISO date."}, Wire::Day},
        {{"toDate", T::String, "Expirations until this ISO date."}, Wire::Day},
        {{"volatility", T::Number, "Volatility for ANALYTICAL calculations (percent)."}},
        {{"underlyingPrice", T::Number, "Underlying price for ANALYTICAL calculations."}},
        {{"interestRate", T::Number, "Interest rate for ANALYTICAL calculations (percent)."}},
        {{"daysToExpiration", T::Integer, "Days to expiration for ANALYTICAL calculations."}},
        {{"expMonth", T::Enum, "Only this expiration month.",
          "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|ALL"}},
        {{"optionType", T::Enum, "S (standard), NS (non-standard) or ALL.", "S|NS|ALL"}},
        {{"entitlement", T::Enum,
          "Retail token entitlement: PN (paying non-pro), NP (non-pay pro), PP (paying pro).",
          "PN|NP|PP"}},
        detail},
       false,
       nullptr,
       "Narrow the chain: strikeCount, range, fromDate/toDate, contractType or expMonth.",
       nullptr,
       nullptr,
       false,
       chain_defaults,
       chain_shape});
  t.push_back({"getOptionExpirationChain",
               "Option expirations",
               "The expiration dates of a symbol's options, with days to expiration and type "
               "(weekly, monthly...).",
               "/marketdata/v1/expirationchain",
               {{{"symbol", T::String, "The underlying symbol.", nullptr, true}}}});
  t.push_back(
      {"getPriceHistory",
       "Price history",
       "Candles (open, high, low, close, volume) for a symbol. periodType day allows minute "
       "candles; "
       "month, year and ytd allow daily or weekly (year also monthly).",
       "/marketdata/v1/pricehistory",
       {{{"symbol", T::String, "The symbol.", nullptr, true}},
        {{"periodType", T::Enum, "The unit of period (default day).", "day|month|year|ytd"}},
        {{"period", T::Integer,
          "How many periods (day: 1-5, 10; month: 1-3, 6; year: 1-3, 5, 10, 15, 20; ytd: 1)."}},
        {{"frequencyType", T::Enum, "Candle unit.", "minute|daily|weekly|monthly"}},
        {{"frequency", T::Integer,
          "Candle size in frequencyType units (minute: 1, 5, 10, 15, 30; otherwise 1)."}},
        {{"startDate", T::TextOrInteger,
          "Start (ISO date, date-time or epoch milliseconds); overrides period."},
         Wire::EpochMs},
        {{"endDate", T::TextOrInteger,
          "End (ISO date, date-time or epoch milliseconds). Default: the last trading day."},
         Wire::EpochMs},
        {{"needExtendedHoursData", T::Boolean, "Include pre- and after-market candles."}},
        {{"needPreviousClose", T::Boolean, "Include the previous close."}}},
       false,
       nullptr,
       "Ask for a shorter period or larger candles."});
  return t;
}

// ---- the generic handler -------------------------------------------------------------------

struct Prepared {
  std::string path;
  upstream::QueryString query;
};

Task<mcp::ToolResult> run_read(mcp::RequestContext& ctx, const brokers::BrokerKit& kit,
                               const ReadTool& spec, Json args) {
  brokers::BrokerCall call(ctx, kit);
  if (spec.defaults) spec.defaults(args, call.io().now_ms());
  if (spec.trader) {
    bool ok = co_await call.load_accounts(false);
    if (!ok) co_return call.fail(call.map_error());
  } else {
    co_await call.load_cached_accounts();
  }

  Prepared base;
  base.path = spec.path;
  std::string account_hash;
  bool account_given = false;
  for (const P& p : spec.params) {
    const Json* v = find_member(args, p.decl.name);
    if (!v || v->is_null() || p.wire == Wire::NotSent) continue;
    std::string text;
    if (p.wire == Wire::Account) {
      std::string name = v->is_string() ? v->get<std::string>() : dump_json(*v);
      const privacy::AccountEntry* entry = co_await call.resolve(name);
      if (!entry) co_return call.unknown_account(name);
      account_given = true;
      account_hash = entry->hash_value.empty() ? entry->account_number : entry->hash_value;
      text = account_hash;
    } else {
      std::string problem;
      auto encoded = encode(p, *v, problem);
      if (!encoded) co_return call.invalid(problem);
      text = std::move(*encoded);
    }
    if (p.path) {
      std::string slot = std::string("{") + p.decl.name + "}";
      auto at = base.path.find(slot);
      if (at != std::string::npos)
        base.path.replace(at, slot.size(), upstream::percent_encode(text));
    } else {
      base.query.add(p.decl.name, text);
    }
  }
  std::string query = base.query.str();
  if (spec.fixed_query) query = query.empty() ? spec.fixed_query : query + "&" + spec.fixed_query;

  bool has_account_slot = base.path.find("{account}") != std::string::npos;
  if (has_account_slot && !account_given && spec.path_without_account) {
    base.path = spec.path_without_account;
    has_account_slot = false;
  }

  Json data;
  if (has_account_slot && spec.fan_out) {
    // Every account, concurrently; answers are concatenated.
    std::vector<Task<upstream::UpstreamResult>> calls;
    std::vector<std::string> names;
    for (const auto& e : call.map()->entries()) {
      upstream::UpstreamRequest r;
      std::string path = base.path;
      path.replace(
          path.find("{account}"), 9,
          upstream::percent_encode(e.hash_value.empty() ? e.account_number : e.hash_value));
      r.path = std::move(path);
      r.query = query;
      calls.push_back(kit.client.send(call.io(), call.user(), std::move(r)));
      names.push_back(e.display_name);
    }
    std::vector<upstream::UpstreamResult> results = co_await when_all(std::move(calls));
    data = Json::array();
    Json failures = Json::array();
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (!results[i].ok) {
        failures.push_back({{"account", names[i]}, {"error", results[i].error.describe("Schwab")}});
        continue;
      }
      if (results[i].response.json.is_array())
        for (Json& item : results[i].response.json) data.push_back(std::move(item));
    }
    if (!results.empty() && failures.size() == results.size())
      co_return call.fail(results[0].error);
    if (!failures.empty())
      data = Json{{spec.wrap, std::move(data)}, {"failedAccounts", std::move(failures)}};
  } else {
    upstream::UpstreamRequest r;
    r.path = std::move(base.path);
    r.query = std::move(query);
    upstream::UpstreamResult result = co_await call.send(std::move(r));
    if (!result.ok) co_return call.fail(result.error);
    data = std::move(result.response.json);
  }
  if (spec.shape) data = spec.shape(std::move(data), args);
  if (spec.wrap && !data.is_object())
    data = Json{{spec.wrap, data.is_null() ? Json::array() : std::move(data)}};
  co_return co_await call.finish(std::move(data), spec.hint);
}

// The inputSchema of a table row: its parameters' declarations.
Json declared_input(const std::vector<P>& params) {
  std::vector<brokers::ToolParam> decls;
  for (const P& p : params) decls.push_back(p.decl);
  return brokers::input_schema(decls);
}

// An answer that is one list under `key`.
Json array_output(const char* key) {
  const brokers::ToolParam list[] = {{key, T::Array, nullptr, nullptr, true}};
  return brokers::output_schema(list);
}

// The outputSchema of an answer that is Schwab's own JSON passed on (compact unless
// detail=full): described, not constrained, since Schwab adds fields over time.
Json passed_on_output(std::string_view tool) {
  static const std::pair<const char*, const char*> kWhat[] = {
      {"getAccount",
       "The account: its display name (accountNumber), type, balances (currentBalances, "
       "initialBalances, projectedBalances) and, with fields=positions, its positions."},
      {"getOrder",
       "The order as Schwab gives it: status, type, price, legs (orderLegCollection) and fills "
       "(orderActivityCollection)."},
      {"getUserPreference",
       "The person's Schwab preferences: accounts (by display name) and streamer details."},
      {"getQuotes",
       "Quotes keyed by symbol: quote (bid, ask, last, mark, volume, change), fundamental and "
       "reference data."},
      {"getQuoteBySymbolId",
       "The quote, keyed by its symbol: quote, fundamental and reference data."},
      {"searchInstruments",
       "instruments: the matches, each with symbol, description, exchange and asset type."},
      {"getInstrumentByCusip", "instruments: the instrument with that CUSIP."},
      {"getInstrument",
       "instruments: the instrument found by symbol or CUSIP (with fundamentals when "
       "projection=fundamental)."},
      {"getMarketHours",
       "Per market (equity, option, bond, future, forex) and product: whether it is open today "
       "and its session hours."},
      {"getMarketHoursByMarketId",
       "The market's products: whether each is open and its session hours."},
      {"getMovers", "screeners: the top movers of the index, with last price, change and volume."},
      {"getOptionChain",
       "The chain: the underlying and callExpDateMap / putExpDateMap, keyed by expiration and "
       "strike, each option with bid, ask, greeks and open interest."},
      {"getOptionExpirationChain",
       "expirationList: each expiration with its date, days to expiration and type."},
      {"getPriceHistory",
       "candles (open, high, low, close, volume, datetime in epoch ms), oldest first."},
  };
  for (const auto& [name, what] : kWhat)
    if (tool == name) return {{"type", "object"}, {"description", what}};
  return Json();  // a tool without one is refused by the catalog test
}

// ---- tools with their own handlers ---------------------------------------------------------

mcp::ToolDefinition account_numbers_tool(brokers::BrokerKitRef kit) {
  mcp::ToolDefinition t;
  t.name = "getAccountNumbers";
  t.title = "Account names";
  t.description =
      "Lists the person's Schwab accounts by display name (e.g. Individual-...123). Every other "
      "tool takes these "
      "names; account numbers and hashes are never shown or needed.";
  t.annotations.read_only = true;
  t.annotations.open_world = true;
  t.output_schema = {
      {"type", "object"},
      {"properties",
       {{"accounts",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties", {{"account", {{"type", "string"}}}, {"label", {{"type", "string"}}}}},
            {"required", {"account"}}}}}}}},
      {"required", {"accounts"}}};
  t.handler = [kit](mcp::RequestContext& ctx, const Json&) -> Task<mcp::ToolResult> {
    brokers::BrokerCall call(ctx, *kit);
    bool ok = co_await call.load_accounts(true);
    if (!ok) co_return call.fail(call.map_error());
    Json list = Json::array();
    for (const auto& e : call.map()->entries())
      list.push_back(
          {{"account", e.display_name}, {"label", e.type.empty() ? e.nickname : e.type}});
    Json out = {{"accounts", std::move(list)}};
    co_return co_await call.finish(std::move(out), "");
  };
  return t;
}

mcp::ToolDefinition instrument_tool(brokers::BrokerKitRef kit) {
  mcp::ToolDefinition t;
  t.name = "getInstrument";
  t.output_schema = passed_on_output("getInstrument");
  t.title = "Instrument";
  t.description =
      "An instrument by symbol or by CUSIP (give one of them), optionally with fundamentals.";
  t.annotations.read_only = true;
  t.annotations.open_world = true;
  const brokers::ToolParam params[] = {
      {"symbol", T::String, "The symbol, e.g. AAPL."},
      {"cusip", T::String, "The CUSIP, e.g. 037833100."},
      {"projection", T::Enum, "With a symbol: symbol-search (default) or fundamental.",
       "symbol-search|fundamental"}};
  t.input_schema = brokers::input_schema(params);
  t.handler = [kit](mcp::RequestContext& ctx, const Json& args) -> Task<mcp::ToolResult> {
    brokers::BrokerCall call(ctx, *kit);
    co_await call.load_cached_accounts();
    upstream::UpstreamRequest r;
    auto cusip = get_string(args, "cusip");
    auto symbol = get_string(args, "symbol");
    if (cusip && !cusip->empty()) {
      r.path = "/marketdata/v1/instruments/" + upstream::percent_encode(*cusip);
    } else if (symbol && !symbol->empty()) {
      r.path = "/marketdata/v1/instruments";
      upstream::QueryString q;
      q.add("symbol", *symbol)
          .add("projection", get_string(args, "projection").value_or("symbol-search"));
      r.query = q.str();
    } else {
      co_return call.invalid("give a symbol or a cusip.");
    }
    upstream::UpstreamResult result = co_await call.send(std::move(r));
    if (!result.ok) co_return call.fail(result.error);
    co_return co_await call.finish(std::move(result.response.json), "");
  };
  return t;
}

}  // namespace

void add_read_tools(mcp::Catalog& catalog, brokers::BrokerKitRef kit) {
  // Order of the listing: accounts, orders, transactions, preferences, then market data.
  auto table = std::make_shared<const std::vector<ReadTool>>(read_tools());
  auto add = [&](const ReadTool& spec) {
    mcp::ToolDefinition t;
    t.name = spec.name;
    t.title = spec.title;
    t.description = spec.description;
    t.input_schema = declared_input(spec.params);
    if (spec.wrap) t.output_schema = array_output(spec.wrap);
    else if (spec.shape == accounts_shape || spec.shape == positions_shape)
      t.output_schema = array_output("accounts");
    else t.output_schema = passed_on_output(spec.name);
    t.annotations.read_only = true;
    t.annotations.open_world = true;
    const ReadTool* s = &spec;
    t.handler = [kit, table, s](mcp::RequestContext& ctx,
                                const Json& args) -> Task<mcp::ToolResult> {
      return run_read(ctx, *kit, *s, args);
    };
    catalog.tools.push_back(std::move(t));
  };
  for (const ReadTool& spec : *table) {
    if (std::string_view(spec.name) == "getAccounts")
      catalog.tools.push_back(account_numbers_tool(kit));
    if (std::string_view(spec.name) == "getInstrumentByCusip")
      catalog.tools.push_back(instrument_tool(kit));
    add(spec);
  }
}

namespace {
// Every position of every account, flat, each naming its account: one request
// (GET /trader/v1/accounts?fields=positions), scrubbed like every answer.
Task<resources::PositionsAnswer> positions_answer(brokers::BrokerCall& call) {
  using resources::PositionsAnswer;
  co_await call.load_cached_accounts();
  upstream::UpstreamRequest request;
  request.path = "/trader/v1/accounts";
  request.query = "fields=positions";
  upstream::UpstreamResult result = co_await call.send(std::move(request));
  if (!result.ok)
    co_return PositionsAnswer::failed(brokers::failure_text(call, call.fail(result.error)));
  Json flat = Json::array();
  Json shaped = positions_shape(std::move(result.response.json), Json::object());
  for (const Json& account : shaped["accounts"])
    for (Json p : account["positions"]) {
      p["account"] = account.value("accountNumber", Json());
      flat.push_back(std::move(p));
    }
  if (!call.map() || privacy::mentions_unknown_account(flat, *call.map()))
    co_await call.load_accounts(true);
  if (!call.map())
    co_return PositionsAnswer::failed(brokers::failure_text(call, call.fail(call.map_error())));
  co_return PositionsAnswer::of(call.scrub(flat));
}
}  // namespace

void add_portfolio_resource(mcp::Catalog& catalog, brokers::BrokerKitRef kit) {
  brokers::add_positions_resource(catalog, std::move(kit), positions_answer);
}

}  // namespace bmcp::schwab
