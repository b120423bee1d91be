// What is sealed in user_oauth_tokens.sealed_tokens: the broker's access and refresh tokens
// as JSON, encrypted with AES-256-GCM under TOKEN_ENCRYPTION_KEY. The associated data names
// the row ("broker-token:<user id>:<provider>"), so a sealed value copied into another
// person's row, or another broker's, does not open.
#pragma once

#include "crypto/crypto_port.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace bmcp::signin {

struct BrokerTokens {
  std::string access_token;
  std::string refresh_token;
  std::string scope;
};

std::string broker_token_aad(std::string_view user_id, std::string_view provider);

// nullopt only when the key is not 32 bytes.
std::optional<std::string> seal_broker_tokens(const CryptoPort& crypto, std::string_view key,
                                              std::string_view user_id, std::string_view provider,
                                              const BrokerTokens& tokens);

// nullopt when the value was not sealed for this row with this key, or is malformed.
std::optional<BrokerTokens> open_broker_tokens(const CryptoPort& crypto, std::string_view key,
                                               std::string_view user_id, std::string_view provider,
                                               std::string_view sealed);

}  // namespace bmcp::signin
