// The brokers this server speaks to, one value each. Their names stay strings where they
// cross an edge — configuration, the principal's JSON, D1 rows, URLs, the sign-in state — and
// every decision by broker compares this enum, so a misspelt name cannot quietly match
// nothing. A third broker is one more value here and one folder beside brokers/schwab.
#pragma once

#include <cstdint>
#include <string_view>

namespace bmcp::brokers {

enum class Broker : std::uint8_t { None, Schwab, Tastytrade };

// "schwab" → Schwab, "tastytrade" → Tastytrade, anything else (empty, a sandbox name) → None.
constexpr Broker broker_named(std::string_view name) {
  if (name == "schwab") return Broker::Schwab;
  if (name == "tastytrade") return Broker::Tastytrade;
  return Broker::None;
}

// The name a broker goes by at the edges: "schwab", "tastytrade", "" for None.
constexpr std::string_view broker_id(Broker broker) {
  switch (broker) {
    case Broker::Schwab: return "schwab";
    case Broker::Tastytrade: return "tastytrade";
    case Broker::None: break;
  }
  return "";
}

// How a person reads the broker's name in a sentence: "Schwab", "tastytrade".
constexpr std::string_view broker_label(Broker broker) {
  switch (broker) {
    case Broker::Schwab: return "Schwab";
    case Broker::Tastytrade: return "tastytrade";
    case Broker::None: break;
  }
  return "";
}

}  // namespace bmcp::brokers
