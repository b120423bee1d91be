// What one analysis step hands to the next, as JSON: the Workflow engine stores each
// step's output and replays it after a restart, so everything a later step needs must
// survive a round trip through JSON exactly — candles (a non-finite price travels as
// null and comes back as NaN, which the indicators treat as a gap), option quotes and
// the market facts.
#pragma once

#include "analysis/candle.hpp"
#include "analysis/option_chain.hpp"
#include "base/json.hpp"
#include "market_data/option_sources.hpp"

#include <vector>

namespace bmcp::analysis_runs::step_data {

// [[time_ms, open, high, low, close, volume], …]
Json candles_to_json(const std::vector<analysis::Candle>& candles);
std::vector<analysis::Candle> candles_from_json(const Json& rows);

Json quotes_to_json(const std::vector<analysis::OptionQuote>& quotes);
std::vector<analysis::OptionQuote> quotes_from_json(const Json& rows);

Json facts_to_json(const market_data::MarketFacts& facts);
market_data::MarketFacts facts_from_json(const Json& j);

}  // namespace bmcp::analysis_runs::step_data
