// The broker reads an analysis needs — price history, market metrics, the option chain —
// for either broker, shared by the analysis tools and the analysis Workflow's steps.
// Every read goes through the upstream client (retries, the shared Schwab request limit,
// error mapping); a failure comes back as an error sentence, never as a partial value.
// Where the brokers are comes in MarketDataSettings (filled by the app from its
// configuration, app/module_settings.hpp); this module reads no configuration.
#pragma once

#include "base/result.hpp"
#include "analysis/candle.hpp"
#include "analysis/option_chain.hpp"
#include "analysis/option_strategies.hpp"
#include "brokers/broker_access.hpp"
#include "brokers/upstream/upstream_client.hpp"
#include "logging/logger.hpp"
#include "market_data/candle_sources.hpp"
#include "market_data/option_sources.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bmcp::analysis_runs {

// The brokers' endpoints, as the brokers' own modules build them (schwab::schwab_endpoint,
// tastytrade::tastytrade_endpoint): the same origin, headers, timeout and error reading as
// their tools.
struct MarketDataSettings {
  upstream::Endpoint schwab;
  upstream::Endpoint tastytrade;
};

// The upstream clients of both brokers. Not copyable: the Schwab client points at the
// limiter next to it.
struct MarketDataClients {
  MarketDataClients(const MarketDataSettings& settings, const brokers::BrokerAccess& access,
                    const logging::Logger& log);
  MarketDataClients(const MarketDataClients&) = delete;
  MarketDataClients& operator=(const MarketDataClients&) = delete;
  // Schwab's request budget is per app, shared with the Schwab tools (same D1 bucket).
  upstream::D1RateLimiter schwab_limiter;
  upstream::UpstreamClient schwab;
  upstream::UpstreamClient tastytrade;
};

// Ticker symbols as the brokers spell them: AAPL, BRK.B, $SPX, /ES, ^VIX (upper-cased).
std::optional<std::string> normalize_symbol(const Json& args);

struct CandleFetch {
  std::vector<analysis::Candle> candles;
  std::string source;  // where the candles came from, in words
};

// Schwab: /marketdata/v1/pricehistory. tastytrade: a quote token, then DXLink Candle
// events with the HISTORY contract (reference tastytrade.md §4.2–4.3).
Task<Result<CandleFetch>> fetch_candles(Io& io, const MarketDataClients& clients,
                                        std::string broker, std::string user, std::string symbol,
                                        market_data::Timeframe timeframe);

struct ChainFetch {
  std::vector<analysis::OptionQuote> quotes;
  market_data::MarketFacts facts;
  std::vector<std::string> notes;  // what is unknown or assumed, in words
};

// The contracts of one side (`put_call` 'P' or 'C') in the filters' DTE window, with
// the market facts around them (IV rank, earnings and dividend dates where known).
Task<Result<ChainFetch>> fetch_chain(Io& io, const MarketDataClients& clients, std::string broker,
                                     std::string user, std::string symbol, char put_call,
                                     analysis::CandidateFilters filters);

// The tool arguments' overrides of the default candidate filters.
analysis::CandidateFilters filters_from(const Json& args);

// The facts as the result shows them ("unknown" for unknown dates).
Json facts_json(const market_data::MarketFacts& facts);

}  // namespace bmcp::analysis_runs
