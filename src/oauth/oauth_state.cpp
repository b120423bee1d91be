#include "oauth/oauth_state.hpp"

#include "base/json.hpp"
#include "brokers/broker.hpp"
#include "crypto/sealed_box.hpp"
#include "oauth/pkce.hpp"

namespace bmcp::oauth {
namespace {

constexpr std::int64_t kFormatVersion = 1;

OpenedOAuthState failed(OAuthStateError error, std::string_view message) {
  OpenedOAuthState opened;
  opened.error = error;
  opened.message = std::string(message);
  return opened;
}

bool is_complete(const BrokerLoginState& state) {
  return !state.request.client_id.empty() && !state.request.redirect_uri.empty() &&
         !state.request.code_challenge.empty() && is_supported_broker_name(state.broker) &&
         is_valid_code_verifier(state.broker_code_verifier) && !state.csrf_nonce.empty();
}

}  // namespace

bool is_supported_broker_name(std::string_view broker) {
  if (brokers::broker_named(broker) != brokers::Broker::None) return true;
  constexpr std::string_view sandbox_prefix = "sandbox-";
  if (broker.substr(0, sandbox_prefix.size()) != sandbox_prefix) return false;
  std::string_view name = broker.substr(sandbox_prefix.size());
  if (name.empty() || name.size() > 32) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

std::optional<std::string> seal_oauth_state(const CryptoPort& crypto, std::string_view key,
                                            const BrokerLoginState& state, std::int64_t now,
                                            std::string_view iv) {
  if (!is_complete(state)) return std::nullopt;
  Json payload = Json::object();
  payload["v"] = kFormatVersion;
  payload["client_id"] = state.request.client_id;
  payload["redirect_uri"] = state.request.redirect_uri;
  payload["state"] = state.request.state;
  payload["code_challenge"] = state.request.code_challenge;
  payload["scope"] = state.request.scope;
  payload["resource"] = state.request.resource;
  payload["broker"] = state.broker;
  payload["broker_code_verifier"] = state.broker_code_verifier;
  payload["csrf"] = state.csrf_nonce;
  payload["exp"] = now + kOAuthStateLifetimeSeconds;
  return crypto::seal(crypto, key, dump_json(payload), kOAuthStateAad, iv);
}

OpenedOAuthState open_oauth_state(const CryptoPort& crypto, std::string_view key,
                                  std::string_view sealed_state, std::int64_t now) {
  std::optional<std::string> plaintext = crypto::open(crypto, key, sealed_state, kOAuthStateAad);
  if (!plaintext) return failed(OAuthStateError::Invalid, "state is not authentic");
  std::optional<Json> payload = parse_json(*plaintext);
  if (!payload || !payload->is_object())
    return failed(OAuthStateError::BadPayload, "state is not a JSON object");
  if (get_int(*payload, "v") != kFormatVersion)
    return failed(OAuthStateError::BadPayload, "unknown state version");

  // Expiry is checked before content so an old state is reported as expired.
  std::optional<std::int64_t> expires_at = get_int(*payload, "exp");
  if (!expires_at) return failed(OAuthStateError::BadPayload, "state has no expiry");
  if (now >= *expires_at) return failed(OAuthStateError::Expired, "state has expired");

  OpenedOAuthState opened;
  opened.expires_at = *expires_at;
  BrokerLoginState& state = opened.state;
  struct Field {
    std::string_view name;
    std::string* target;
  };
  for (const Field& field :
       {Field{"client_id", &state.request.client_id},
        Field{"redirect_uri", &state.request.redirect_uri}, Field{"state", &state.request.state},
        Field{"code_challenge", &state.request.code_challenge},
        Field{"scope", &state.request.scope}, Field{"resource", &state.request.resource},
        Field{"broker", &state.broker}, Field{"broker_code_verifier", &state.broker_code_verifier},
        Field{"csrf", &state.csrf_nonce}}) {
    std::optional<std::string> value = get_string(*payload, field.name);
    if (!value) return failed(OAuthStateError::BadPayload, std::string(field.name) + " is missing");
    *field.target = std::move(*value);
  }
  if (!is_complete(state)) return failed(OAuthStateError::BadPayload, "state is incomplete");
  return opened;
}

}  // namespace bmcp::oauth
