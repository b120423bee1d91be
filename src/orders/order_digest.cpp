#include "orders/order_digest.hpp"

#include <cmath>

namespace bmcp::orders {

Json canonical_order(const Json& v) {
  if (v.is_object()) {
    Json out = Json::object();
    for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = canonical_order(it.value());
    return out;
  }
  if (v.is_array()) {
    Json out = Json::array();
    for (const Json& e : v) out.push_back(canonical_order(e));
    return out;
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15)
      return static_cast<std::int64_t>(d);
  }
  if (v.is_number_unsigned() && v.get<std::uint64_t>() <= 9'000'000'000'000'000'000ULL)
    return static_cast<std::int64_t>(v.get<std::uint64_t>());
  return v;
}

std::string canonical_order_text(const Json& order) { return dump_json(canonical_order(order)); }

std::string order_digest(const CryptoPort& crypto, std::string_view provider,
                         std::string_view action, std::string_view account_key, const Json& order) {
  std::string text = "broker-mcp order v1\n";
  text.append(provider).append("\n").append(action).append("\n").append(account_key).append("\n");
  text += canonical_order_text(order);
  static const char kHex[] = "0123456789abcdef";
  std::string digest = crypto.sha256(text), hex;
  for (unsigned char c : digest) {
    hex.push_back(kHex[c >> 4]);
    hex.push_back(kHex[c & 15]);
  }
  return hex;
}

}  // namespace bmcp::orders
