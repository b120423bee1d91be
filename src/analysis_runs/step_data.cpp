#include "analysis_runs/step_data.hpp"

#include <cmath>
#include <limits>

namespace bmcp::analysis_runs::step_data {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Json number_or_null(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

double number_at(const Json& row, std::size_t i) {
  if (!row.is_array() || i >= row.size() || !row[i].is_number()) return kNaN;
  return row[i].get<double>();
}

void put_optional(Json& j, const char* key, const std::optional<double>& v) {
  if (v && std::isfinite(*v)) j[key] = *v;
}

}  // namespace

Json candles_to_json(const std::vector<analysis::Candle>& candles) {
  Json rows = Json::array();
  for (const analysis::Candle& c : candles)
    rows.push_back(
        Json::array({c.time_ms, number_or_null(c.open), number_or_null(c.high),
                     number_or_null(c.low), number_or_null(c.close), number_or_null(c.volume)}));
  return rows;
}

std::vector<analysis::Candle> candles_from_json(const Json& rows) {
  std::vector<analysis::Candle> out;
  if (!rows.is_array()) return out;
  out.reserve(rows.size());
  for (const Json& row : rows) {
    if (!row.is_array() || row.empty() || !row[0].is_number_integer()) continue;
    analysis::Candle c;
    c.time_ms = row[0].get<std::int64_t>();
    c.open = number_at(row, 1);
    c.high = number_at(row, 2);
    c.low = number_at(row, 3);
    c.close = number_at(row, 4);
    c.volume = number_at(row, 5);
    out.push_back(c);
  }
  return out;
}

Json quotes_to_json(const std::vector<analysis::OptionQuote>& quotes) {
  Json rows = Json::array();
  for (const analysis::OptionQuote& q : quotes) {
    Json j = {{"symbol", q.symbol},
              {"putCall", std::string(1, q.put_call)},
              {"strike", q.strike},
              {"dte", q.dte},
              {"expiration", q.expiration},
              {"bid", number_or_null(q.bid)},
              {"ask", number_or_null(q.ask)},
              {"mark", number_or_null(q.mark)},
              {"iv", number_or_null(q.iv)},
              {"openInterest", q.open_interest},
              {"volume", q.volume}};
    put_optional(j, "delta", q.delta);
    put_optional(j, "gamma", q.gamma);
    put_optional(j, "theta", q.theta);
    put_optional(j, "vega", q.vega);
    rows.push_back(std::move(j));
  }
  return rows;
}

std::vector<analysis::OptionQuote> quotes_from_json(const Json& rows) {
  std::vector<analysis::OptionQuote> out;
  if (!rows.is_array()) return out;
  for (const Json& j : rows) {
    if (!j.is_object()) continue;
    analysis::OptionQuote q;
    q.symbol = get_string(j, "symbol").value_or("");
    const std::string pc = get_string(j, "putCall").value_or("P");
    q.put_call = pc.empty() ? 'P' : pc[0];
    q.strike = get_number(j, "strike").value_or(0);
    q.dte = static_cast<int>(get_int(j, "dte").value_or(0));
    q.expiration = get_string(j, "expiration").value_or("");
    q.bid = get_number(j, "bid").value_or(0);
    q.ask = get_number(j, "ask").value_or(0);
    q.mark = get_number(j, "mark").value_or(0);
    q.iv = get_number(j, "iv").value_or(0);
    q.delta = get_number(j, "delta");
    q.gamma = get_number(j, "gamma");
    q.theta = get_number(j, "theta");
    q.vega = get_number(j, "vega");
    q.open_interest = static_cast<long>(get_int(j, "openInterest").value_or(0));
    q.volume = static_cast<long>(get_int(j, "volume").value_or(0));
    out.push_back(std::move(q));
  }
  return out;
}

Json facts_to_json(const market_data::MarketFacts& f) {
  Json j = Json::object();
  put_optional(j, "underlyingPrice", f.underlying_price);
  put_optional(j, "rate", f.rate);
  put_optional(j, "dividendYield", f.dividend_yield);
  put_optional(j, "ivIndex", f.iv_index);
  put_optional(j, "ivRank", f.iv_rank);
  put_optional(j, "ivPercentile", f.iv_percentile);
  put_optional(j, "dividendAmount", f.dividend_amount);
  j["earningsDate"] = f.earnings_date;
  j["exDividendDate"] = f.ex_dividend_date;
  Json ivs = Json::object();
  for (const auto& [date, iv] : f.expiration_iv)
    if (std::isfinite(iv)) ivs[date] = iv;
  j["expirationIv"] = std::move(ivs);
  return j;
}

market_data::MarketFacts facts_from_json(const Json& j) {
  market_data::MarketFacts f;
  f.underlying_price = get_number(j, "underlyingPrice");
  f.rate = get_number(j, "rate");
  f.dividend_yield = get_number(j, "dividendYield");
  f.iv_index = get_number(j, "ivIndex");
  f.iv_rank = get_number(j, "ivRank");
  f.iv_percentile = get_number(j, "ivPercentile");
  f.dividend_amount = get_number(j, "dividendAmount");
  f.earnings_date = get_string(j, "earningsDate").value_or("");
  f.ex_dividend_date = get_string(j, "exDividendDate").value_or("");
  if (const Json* ivs = find_member(j, "expirationIv"); ivs && ivs->is_object())
    for (auto it = ivs->begin(); it != ivs->end(); ++it)
      if (it.value().is_number()) f.expiration_iv[it.key()] = it.value().get<double>();
  return f;
}

}  // namespace bmcp::analysis_runs::step_data
