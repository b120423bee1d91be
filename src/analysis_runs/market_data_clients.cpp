#include "analysis_runs/market_data_clients.hpp"

#include "brokers/broker.hpp"
#include "brokers/schwab/schwab_api.hpp"
#include "brokers/upstream/dates.hpp"
#include "brokers/upstream/url.hpp"

namespace bmcp::analysis_runs {
using market_data::Timeframe;

MarketDataClients::MarketDataClients(const MarketDataSettings& settings,
                                     const brokers::BrokerAccess& access,
                                     const logging::Logger& log)
    : schwab_limiter(schwab::kRequestsPerMinute, 60000),
      schwab(settings.schwab, access, &schwab_limiter, log),
      tastytrade(settings.tastytrade, access, nullptr, log) {}

std::optional<std::string> normalize_symbol(const Json& args) {
  std::string s = get_string(args, "symbol").value_or("");
  if (s.empty() || s.size() > 24) return std::nullopt;
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '/' ||
                    c == '$' || c == '-' || c == '^' || c == '_';
    if (!ok) return std::nullopt;
  }
  return s;
}

Task<Result<CandleFetch>> fetch_candles(Io& io, const MarketDataClients& clients,
                                        std::string broker, std::string user, std::string symbol,
                                        Timeframe timeframe) {
  CandleFetch out;
  if (brokers::broker_named(broker) == brokers::Broker::Schwab) {
    upstream::UpstreamRequest req;
    req.path = "/marketdata/v1/pricehistory";
    req.query = market_data::schwab_price_history_query(symbol, timeframe);
    upstream::UpstreamResult r = co_await clients.schwab.send(io, user, std::move(req));
    if (!r.ok) {
      co_return Result<CandleFetch>::failed(r.error.describe("Schwab"));
    }
    Result<market_data::ParsedCandles> parsed =
        market_data::parse_schwab_price_history(r.response.json);
    if (!parsed.ok()) co_return Result<CandleFetch>::failed(parsed.error());
    out.candles = std::move(parsed.value().candles);
    out.source = "Schwab price history (/marketdata/v1/pricehistory)";
    co_return Result<CandleFetch>::of(std::move(out));
  }
  // tastytrade: a quote token, then DXLink candles.
  upstream::UpstreamRequest token_req;
  token_req.path = "/api-quote-tokens";
  upstream::UpstreamResult t = co_await clients.tastytrade.send(io, user, std::move(token_req));
  if (!t.ok) {
    co_return Result<CandleFetch>::failed(t.error.describe("tastytrade"));
  }
  const Json* data = find_member(t.response.json, "data");
  const std::string token = data ? get_string(*data, "token").value_or("") : "";
  const std::string url = data ? get_string(*data, "dxlink-url").value_or("") : "";
  if (token.empty() || url.empty()) {
    co_return Result<CandleFetch>::failed(
        "tastytrade did not hand out a market-data token (api-quote-tokens).");
  }
  const std::string candle_symbol = market_data::dxlink_candle_symbol(symbol, timeframe);
  const std::int64_t from = market_data::dxlink_from_time(timeframe, io.now_ms());
  Result<market_data::DxlinkCandles> d =
      co_await market_data::fetch_dxlink_candles(io, url, token, candle_symbol, from, 20000);
  if (!d.ok()) co_return Result<CandleFetch>::failed(d.error());
  out.candles = std::move(d.value().candles);
  out.source = "tastytrade DXLink Candle events (" + candle_symbol + ", HISTORY)";
  co_return Result<CandleFetch>::of(std::move(out));
}

Task<Result<ChainFetch>> fetch_chain(Io& io, const MarketDataClients& clients, std::string broker,
                                     std::string user, std::string symbol, char put_call,
                                     analysis::CandidateFilters filters) {
  ChainFetch out;
  const std::string today = upstream::format_date(io.now_ms());
  if (brokers::broker_named(broker) == brokers::Broker::Schwab) {
    upstream::QueryString q;
    q.add("symbol", symbol)
        .add("contractType", put_call == 'C' ? "CALL" : "PUT")
        .add("strategy", "SINGLE")
        .add("includeUnderlyingQuote", "true")
        .add("fromDate", upstream::format_date(io.now_ms() + filters.min_dte * upstream::kDayMs))
        .add("toDate", upstream::format_date(io.now_ms() + filters.max_dte * upstream::kDayMs));
    upstream::UpstreamRequest chain_req;
    chain_req.path = "/marketdata/v1/chains";
    chain_req.query = q.str();
    upstream::UpstreamResult chain = co_await clients.schwab.send(io, user, std::move(chain_req));
    if (!chain.ok) {
      co_return Result<ChainFetch>::failed(chain.error.describe("Schwab"));
    }
    Result<market_data::SchwabChain> parsed = market_data::parse_schwab_chain(chain.response.json);
    if (!parsed.ok()) co_return Result<ChainFetch>::failed(parsed.error());
    out.quotes = std::move(parsed.value().quotes);
    out.facts = parsed.value().facts;
    upstream::QueryString fq;
    fq.add("symbols", symbol).add("fields", "quote,fundamental");
    upstream::UpstreamRequest quote_req;
    quote_req.path = "/marketdata/v1/quotes";
    quote_req.query = fq.str();
    upstream::UpstreamResult quotes = co_await clients.schwab.send(io, user, std::move(quote_req));
    if (quotes.ok)
      market_data::add_schwab_fundamentals(quotes.response.json, symbol, today, out.facts);
    else out.notes.push_back("Dividend dates are unknown: the Schwab quote could not be read.");
    out.notes.push_back(
        "Schwab publishes no IV rank and no next earnings date: both are unknown, "
        "so no candidate is skipped for earnings.");
    co_return Result<ChainFetch>::of(std::move(out));
  }
  // tastytrade
  upstream::UpstreamRequest metrics_req;
  metrics_req.path = "/market-metrics";
  metrics_req.query = "symbols=" + upstream::percent_encode(symbol);
  upstream::UpstreamResult metrics =
      co_await clients.tastytrade.send(io, user, std::move(metrics_req));
  if (metrics.ok) out.facts = market_data::parse_tastytrade_metrics(metrics.response.json, symbol);
  else
    out.notes.push_back(
        "Market metrics (IV rank, earnings and dividend dates) could not be read: " +
        metrics.error.describe("tastytrade"));
  upstream::UpstreamRequest chain_req;
  chain_req.path = "/option-chains/" + upstream::percent_encode(symbol) + "/nested";
  upstream::UpstreamResult chain = co_await clients.tastytrade.send(io, user, std::move(chain_req));
  if (!chain.ok) {
    co_return Result<ChainFetch>::failed(chain.error.describe("tastytrade"));
  }
  out.quotes = market_data::parse_tastytrade_nested_chain(chain.response.json, filters.min_dte,
                                                          filters.max_dte, put_call);
  constexpr std::size_t kMaxContracts = 396;
  if (out.quotes.size() > kMaxContracts) {
    out.notes.push_back("Only the first " + std::to_string(kMaxContracts) + " of " +
                        std::to_string(out.quotes.size()) +
                        " contracts in the DTE window were priced.");
    out.quotes.resize(kMaxContracts);
  }
  for (std::size_t start = 0; start < out.quotes.size() || start == 0; start += 99) {
    upstream::QueryString q;
    if (start == 0) q.add("equity", symbol);
    for (std::size_t i = start; i < out.quotes.size() && i < start + 99; ++i)
      q.add("equity-option", out.quotes[i].symbol);
    upstream::UpstreamRequest quote_req;
    quote_req.path = "/market-data/by-type";
    quote_req.query = q.str();
    upstream::UpstreamResult quotes =
        co_await clients.tastytrade.send(io, user, std::move(quote_req));
    if (!quotes.ok) {
      co_return Result<ChainFetch>::failed(quotes.error.describe("tastytrade"));
    }
    std::optional<double> mark =
        market_data::apply_tastytrade_quotes(quotes.response.json, symbol, out.quotes, out.facts);
    if (mark) out.facts.underlying_price = mark;
    if (out.quotes.empty()) break;
  }
  out.notes.push_back(
      "tastytrade's REST quotes carry no greeks: they are computed with Black-Scholes "
      "from each expiration's implied volatility (greeks_source says so per leg).");
  co_return Result<ChainFetch>::of(std::move(out));
}

analysis::CandidateFilters filters_from(const Json& args) {
  analysis::CandidateFilters f;
  if (auto v = get_int(args, "minDte")) f.min_dte = static_cast<int>(*v);
  if (auto v = get_int(args, "maxDte")) f.max_dte = static_cast<int>(*v);
  if (auto v = get_number(args, "minDelta")) f.min_abs_delta = *v;
  if (auto v = get_number(args, "maxDelta")) f.max_abs_delta = *v;
  if (auto v = get_int(args, "minOpenInterest")) f.min_open_interest = static_cast<long>(*v);
  if (auto v = get_number(args, "maxSpreadFraction")) f.max_spread_fraction = *v;
  if (auto v = get_bool(args, "skipEarnings")) f.skip_earnings_before_expiry = *v;
  if (auto v = get_int(args, "maxResults")) f.max_results = static_cast<std::size_t>(*v);
  if (get_string(args, "priceBasis").value_or("mid") == "natural")
    f.price_basis = analysis::PriceBasis::kNatural;
  return f;
}

Json facts_json(const market_data::MarketFacts& f) {
  Json j = Json::object();
  if (f.underlying_price) j["underlying_price"] = *f.underlying_price;
  if (f.iv_index) j["iv_index"] = *f.iv_index;
  if (f.iv_rank) j["iv_rank"] = *f.iv_rank;
  if (f.iv_percentile) j["iv_percentile"] = *f.iv_percentile;
  if (f.rate) j["rate"] = *f.rate;
  if (f.dividend_yield) j["dividend_yield"] = *f.dividend_yield;
  j["earnings_date"] = f.earnings_date.empty() ? Json("unknown") : Json(f.earnings_date);
  j["ex_dividend_date"] = f.ex_dividend_date.empty() ? Json("unknown") : Json(f.ex_dividend_date);
  if (f.dividend_amount) j["dividend_amount"] = *f.dividend_amount;
  return j;
}

}  // namespace bmcp::analysis_runs
