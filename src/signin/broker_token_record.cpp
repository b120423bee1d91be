#include "signin/broker_token_record.hpp"

#include "base/json.hpp"
#include "crypto/sealed_box.hpp"

namespace bmcp::signin {

std::string broker_token_aad(std::string_view user_id, std::string_view provider) {
  std::string aad = "broker-token:";
  aad.append(user_id).append(":").append(provider);
  return aad;
}

std::optional<std::string> seal_broker_tokens(const CryptoPort& crypto, std::string_view key,
                                              std::string_view user_id, std::string_view provider,
                                              const BrokerTokens& tokens) {
  Json payload = Json::object();
  payload["v"] = 1;
  payload["access_token"] = tokens.access_token;
  payload["refresh_token"] = tokens.refresh_token;
  payload["scope"] = tokens.scope;
  std::string iv = crypto.random_bytes(crypto::kSealedBoxIvBytes);
  return crypto::seal(crypto, key, dump_json(payload), broker_token_aad(user_id, provider), iv);
}

std::optional<BrokerTokens> open_broker_tokens(const CryptoPort& crypto, std::string_view key,
                                               std::string_view user_id, std::string_view provider,
                                               std::string_view sealed) {
  auto plaintext = crypto::open(crypto, key, sealed, broker_token_aad(user_id, provider));
  if (!plaintext) return std::nullopt;
  auto payload = parse_json(*plaintext);
  if (!payload || get_int(*payload, "v") != 1) return std::nullopt;
  BrokerTokens tokens;
  auto access = get_string(*payload, "access_token");
  auto refresh = get_string(*payload, "refresh_token");
  if (!access || access->empty() || !refresh) return std::nullopt;
  tokens.access_token = std::move(*access);
  tokens.refresh_token = std::move(*refresh);
  tokens.scope = get_string(*payload, "scope").value_or("");
  return tokens;
}

}  // namespace bmcp::signin
