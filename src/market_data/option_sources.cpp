#include "market_data/option_sources.hpp"

#include <cmath>
#include <cstdlib>

namespace bmcp::market_data {
namespace {

// A number that may be sent as a string ("1.25", "NaN"); Schwab's -999 is "none".
std::optional<double> num(const Json& obj, std::string_view key) {
  const Json* v = find_member(obj, key);
  if (!v) return std::nullopt;
  double d = 0;
  if (v->is_number()) {
    d = v->get<double>();
  } else if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(d) || d == -999.0) return std::nullopt;
  return d;
}

std::string date_part(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return {};
  return std::string(s.substr(0, 10));
}

}  // namespace

Result<SchwabChain> parse_schwab_chain(const Json& body) {
  SchwabChain out;
  if (!body.is_object())
    return Result<SchwabChain>::failed("Schwab's option chain was not a JSON object.");
  if (auto st = get_string(body, "status"); st && *st != "SUCCESS")
    return Result<SchwabChain>::failed("Schwab found no option chain for this symbol (status " +
                                       *st + ").");
  out.facts.underlying_price = num(body, "underlyingPrice");
  if (const Json* u = find_member(body, "underlying");
      u && u->is_object() && !out.facts.underlying_price)
    out.facts.underlying_price = num(*u, "mark") ? num(*u, "mark") : num(*u, "last");
  if (auto r = num(body, "interestRate")) out.facts.rate = *r / 100.0;
  if (auto q = num(body, "dividendYield")) out.facts.dividend_yield = *q / 100.0;
  if (auto v = num(body, "volatility")) out.facts.iv_index = *v / 100.0;
  for (const char* map_name : {"putExpDateMap", "callExpDateMap"}) {
    const Json* m = find_member(body, map_name);
    if (!m || !m->is_object()) continue;
    for (const auto& [exp_key, strikes] : m->items()) {
      // "2026-12-18:27" -> expiration and DTE
      const std::string expiration = date_part(exp_key);
      const std::size_t colon = exp_key.find(':');
      const int key_dte = colon == std::string::npos ? -1 : std::atoi(exp_key.c_str() + colon + 1);
      if (!strikes.is_object()) continue;
      for (const auto& [strike_key, contracts] : strikes.items()) {
        if (!contracts.is_array()) continue;
        for (const Json& c : contracts) {
          if (!c.is_object()) continue;
          analysis::OptionQuote q;
          q.symbol = get_string(c, "symbol").value_or("");
          const std::string pc =
              get_string(c, "putCall").value_or(map_name[0] == 'p' ? "PUT" : "CALL");
          q.put_call = pc.empty() ? 'P' : pc[0];
          q.strike = num(c, "strikePrice").value_or(std::strtod(strike_key.c_str(), nullptr));
          q.dte = static_cast<int>(num(c, "daysToExpiration").value_or(key_dte));
          q.expiration = expiration.empty()
                             ? date_part(get_string(c, "expirationDate").value_or(""))
                             : expiration;
          q.bid = num(c, "bid").value_or(0);
          q.ask = num(c, "ask").value_or(0);
          q.mark = num(c, "mark").value_or(0);
          if (auto iv = num(c, "volatility"); iv && *iv > 0) q.iv = *iv / 100.0;
          q.delta = num(c, "delta");
          q.gamma = num(c, "gamma");
          q.theta = num(c, "theta");
          q.vega = num(c, "vega");
          q.open_interest = static_cast<long>(num(c, "openInterest").value_or(0));
          q.volume = static_cast<long>(num(c, "totalVolume").value_or(0));
          if (q.dte < 0) continue;
          out.quotes.push_back(std::move(q));
        }
      }
    }
  }
  return Result<SchwabChain>::of(std::move(out));
}

void add_schwab_fundamentals(const Json& quotes_body, const std::string& symbol,
                             const std::string& today, MarketFacts& facts) {
  const Json* entry = find_member(quotes_body, symbol);
  if (!entry || !entry->is_object()) return;
  const Json* f = find_member(*entry, "fundamental");
  if (!f || !f->is_object()) return;
  for (const char* key : {"divExDate", "nextDivExDate"}) {
    const std::string d = date_part(get_string(*f, key).value_or(""));
    if (!d.empty() && d >= today) {
      facts.ex_dividend_date = d;
      break;
    }
  }
  if (auto a = num(*f, "divPayAmount"); a && *a > 0) facts.dividend_amount = *a;
  if (!facts.dividend_yield)
    if (auto y = num(*f, "divYield")) facts.dividend_yield = *y / 100.0;
}

MarketFacts parse_tastytrade_metrics(const Json& body, const std::string& symbol) {
  MarketFacts facts;
  const Json* data = find_member(body, "data");
  const Json* items = data ? find_member(*data, "items") : nullptr;
  if (!items || !items->is_array()) return facts;
  for (const Json& it : *items) {
    if (!it.is_object() || get_string(it, "symbol").value_or("") != symbol) continue;
    facts.iv_index = num(it, "implied-volatility-index");
    facts.iv_rank = num(it, "implied-volatility-index-rank");
    facts.iv_percentile = num(it, "implied-volatility-percentile");
    facts.dividend_yield = num(it, "dividend-yield");
    facts.ex_dividend_date = date_part(get_string(it, "dividend-next-date").value_or(""));
    if (facts.ex_dividend_date.empty())
      facts.ex_dividend_date = date_part(get_string(it, "dividend-ex-date").value_or(""));
    facts.dividend_amount = num(it, "dividend-rate-per-share");
    if (const Json* e = find_member(it, "earnings"); e && e->is_object())
      facts.earnings_date = date_part(get_string(*e, "expected-report-date").value_or(""));
    if (const Json* ivs = find_member(it, "option-expiration-implied-volatilities");
        ivs && ivs->is_array())
      for (const Json& x : *ivs) {
        const std::string d = date_part(get_string(x, "expiration-date").value_or(""));
        auto iv = num(x, "implied-volatility");
        if (!d.empty() && iv && *iv > 0 && !facts.expiration_iv.count(d))
          facts.expiration_iv[d] = *iv;
      }
    break;
  }
  return facts;
}

std::vector<analysis::OptionQuote> parse_tastytrade_nested_chain(const Json& body, int min_dte,
                                                                 int max_dte, char put_call) {
  std::vector<analysis::OptionQuote> out;
  const Json* data = find_member(body, "data");
  const Json* items = data ? find_member(*data, "items") : nullptr;
  if (!items || !items->is_array()) return out;
  for (const Json& chain : *items) {
    // Only the standard chain: non-standard deliverables would misprice.
    if (get_string(chain, "option-chain-type").value_or("Standard") != "Standard") continue;
    const Json* exps = find_member(chain, "expirations");
    if (!exps || !exps->is_array()) continue;
    for (const Json& e : *exps) {
      const auto dte = get_int(e, "days-to-expiration");
      const std::string exp = date_part(get_string(e, "expiration-date").value_or(""));
      if (!dte || exp.empty() || *dte < min_dte || *dte > max_dte) continue;
      const Json* strikes = find_member(e, "strikes");
      if (!strikes || !strikes->is_array()) continue;
      for (const Json& s : *strikes) {
        auto k = num(s, "strike-price");
        if (!k) continue;
        for (char pc : {'P', 'C'}) {
          if (put_call != 0 && pc != put_call) continue;
          auto sym = get_string(s, pc == 'P' ? "put" : "call");
          if (!sym || sym->empty()) continue;
          analysis::OptionQuote q;
          q.symbol = *sym;
          q.put_call = pc;
          q.strike = *k;
          q.dte = static_cast<int>(*dte);
          q.expiration = exp;
          out.push_back(std::move(q));
        }
      }
    }
  }
  return out;
}

std::optional<double> apply_tastytrade_quotes(const Json& body, const std::string& underlying,
                                              std::vector<analysis::OptionQuote>& quotes,
                                              const MarketFacts& facts) {
  std::optional<double> underlying_mark;
  const Json* data = find_member(body, "data");
  const Json* items = data ? find_member(*data, "items") : nullptr;
  if (!items || !items->is_array()) return underlying_mark;
  std::map<std::string, const Json*> by_symbol;
  for (const Json& it : *items)
    if (auto s = get_string(it, "symbol")) by_symbol[*s] = &it;
  if (auto it = by_symbol.find(underlying); it != by_symbol.end()) {
    underlying_mark = num(*it->second, "mark");
    if (!underlying_mark) underlying_mark = num(*it->second, "last");
  }
  for (analysis::OptionQuote& q : quotes) {
    auto it = by_symbol.find(q.symbol);
    if (it != by_symbol.end()) {
      const Json& x = *it->second;
      q.bid = num(x, "bid").value_or(0);
      q.ask = num(x, "ask").value_or(0);
      q.mark = num(x, "mark").value_or(num(x, "mid").value_or(0));
      q.volume = static_cast<long>(num(x, "volume").value_or(0));
      q.open_interest = static_cast<long>(num(x, "open-interest").value_or(0));
    }
    if (auto iv = facts.expiration_iv.find(q.expiration); iv != facts.expiration_iv.end())
      q.iv = iv->second;
  }
  return underlying_mark;
}

}  // namespace bmcp::market_data
