// Quotes from GET /market-data/by-type, cached in KV for 60 seconds. Quotes are public
// market data: one cache entry per instrument, shared by every user
// (quote:tastytrade:<type>:<SYMBOL>, holding {fetchedAt, quote}). An entry counts only
// while it is younger than 60 s by the call's clock, whatever KV's own expiry does.
#pragma once

#include "brokers/upstream/upstream_client.hpp"

#include <string>
#include <vector>

namespace bmcp::tastytrade {

inline constexpr std::int64_t kQuoteTtlMs = 60 * 1000;
inline constexpr std::size_t kMaxQuoteSymbols = 100;  // by-type's limit, all types together

struct QuoteRequest {
  std::string instrument_type;  // by-type parameter: equity, equity-option, index, future,
                                // future-option, cryptocurrency
  std::string symbol;
};

// The by-type parameter for a symbol as a person writes it: OCC option symbols
// (root + yymmdd + C/P + 8-digit strike) are equity-option, "/ES…" future, "./…"
// future-option, "BTC/USD" cryptocurrency, "$SPX"/"SPX"/"VIX"… index (the leading $ is
// dropped), anything else equity.
QuoteRequest classify_symbol(std::string symbol);

struct QuoteBatch {
  Json quotes = Json::array();       // raw by-type items, in request order where found
  std::vector<std::string> missing;  // symbols tastytrade returned nothing for
  std::size_t cache_hits = 0;
  std::int64_t oldest_fetched_at_ms = 0;
};

// The quotes, or the failure of the fetch (then nothing was cached).
Task<upstream::Outcome<QuoteBatch>> get_quotes(Io& io, const upstream::UpstreamClient& client,
                                               std::string user_id,
                                               std::vector<QuoteRequest> wanted);

}  // namespace bmcp::tastytrade
