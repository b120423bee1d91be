// The canonical form of an order and its digest. A confirmation is bound to the exact
// order the person saw: the same broker, action, account and order body always give the
// same digest, and any change to any field gives a different one.
//
// Canonical JSON: object keys sorted (byte order), no whitespace, numbers that are whole
// written as integers (150.0 and 150 are the same price), other numbers in their
// shortest round-trip form, strings as given.
#pragma once

#include "base/json.hpp"
#include "crypto/crypto_port.hpp"

#include <string>
#include <string_view>

namespace bmcp::orders {

Json canonical_order(const Json& order);
std::string canonical_order_text(const Json& order);

// Hex SHA-256 over provider, action, account key (the broker's account identifier; it
// never leaves the server) and the canonical order.
std::string order_digest(const CryptoPort& crypto, std::string_view provider,
                         std::string_view action, std::string_view account_key, const Json& order);

}  // namespace bmcp::orders
