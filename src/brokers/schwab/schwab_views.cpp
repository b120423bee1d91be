#include "brokers/schwab/schwab_views.hpp"

namespace bmcp::schwab {
namespace {

Json pick(const Json& from, std::initializer_list<const char*> keys) {
  Json out = Json::object();
  for (const char* k : keys)
    if (const Json* v = find_member(from, k); v && !v->is_null()) out[k] = *v;
  return out;
}

}  // namespace

Json compact_position(const Json& p) {
  Json out = pick(
      p, {"longQuantity", "shortQuantity", "averagePrice", "marketValue", "currentDayProfitLoss",
          "currentDayProfitLossPercentage", "longOpenProfitLoss", "shortOpenProfitLoss"});
  if (const Json* inst = find_member(p, "instrument"))
    out["instrument"] =
        pick(*inst, {"symbol", "assetType", "description", "putCall", "underlyingSymbol", "type"});
  return out;
}

Json full_account(const Json& entry) {
  const Json* sa = find_member(entry, "securitiesAccount");
  Json out = sa && sa->is_object() ? *sa : Json::object();
  if (const Json* agg = find_member(entry, "aggregatedBalance")) out["aggregatedBalance"] = *agg;
  if (!sa) return entry.is_object() ? entry : out;
  return out;
}

Json compact_account(const Json& entry) {
  Json out = full_account(entry);
  if (!out.is_object()) return out;
  out.erase("initialBalances");
  out.erase("projectedBalances");
  if (Json* positions = out.contains("positions") ? &out["positions"] : nullptr;
      positions && positions->is_array()) {
    Json compact = Json::array();
    for (const Json& p : *positions) compact.push_back(compact_position(p));
    *positions = std::move(compact);
  }
  return out;
}

Json compact_option_chain(Json chain) {
  for (const char* map_name : {"callExpDateMap", "putExpDateMap"}) {
    if (!chain.is_object() || !chain.contains(map_name)) continue;
    Json& by_expiry = chain[map_name];
    if (!by_expiry.is_object()) continue;
    for (auto& [expiry, by_strike] : by_expiry.items()) {
      (void)expiry;
      if (!by_strike.is_object()) continue;
      for (auto& [strike, contracts] : by_strike.items()) {
        (void)strike;
        if (!contracts.is_array()) continue;
        for (Json& c : contracts)
          c = pick(c, {"symbol", "bid", "ask", "last", "mark", "totalVolume", "openInterest",
                       "volatility", "delta", "gamma", "theta", "vega", "inTheMoney"});
      }
    }
  }
  return chain;
}

}  // namespace bmcp::schwab
