// JSON views of the analysis results, as tools return them. An absent (nullopt)
// value is an omitted key, never a null or a zero; enums are snake_case strings;
// units are those of the structs (fractions, per-share prices, per-contract dollars).
#pragma once

#include "analysis/chart_summary.hpp"
#include "analysis/option_strategies.hpp"
#include "base/json.hpp"

#include <string_view>

namespace bmcp::analysis {

std::string_view to_string(TrendDirection trend);
std::string_view to_string(OptionType type);
std::string_view to_string(PriceBasis basis);

Json to_json(const ChartAnalysis& analysis);
Json to_json(const OptionLeg& leg);
Json to_json(const CashSecuredPut& trade);
Json to_json(const CoveredCall& trade);
Json to_json(const VerticalSpread& spread);
Json to_json(const FilterReport& report);
Json to_json(const CandidateFilters& filters);

// What the score and the two probabilities mean, in words, for the reader of a ranking.
Json describe_ranking_method();

// {"candidates": [...best first...], "report": {...}, "method": describe_ranking_method()}
template <class Candidate>
Json to_json(const Ranking<Candidate>& ranking) {
  Json candidates = Json::array();
  for (const Candidate& c : ranking.candidates) candidates.push_back(to_json(c));
  return Json{{"candidates", std::move(candidates)},
              {"report", to_json(ranking.report)},
              {"method", describe_ranking_method()}};
}

}  // namespace bmcp::analysis
