// The `state` we send to the broker's authorize endpoint and get back at our callback.
//
// It carries everything needed to finish the MCP client's authorization after the broker
// login, without server-side storage: the client's pending request, which broker, our PKCE
// verifier for the broker leg, and a CSRF nonce; plus an expiry 10 minutes out. It is
// not merely signed but sealed (AES-256-GCM under COOKIE_ENCRYPTION_KEY, aad
// "oauth-state"), so it is also confidential: the PKCE verifier never travels in clear
// through the browser (RFC 7636 §1 relies on the verifier staying secret).
//
// Guarantees: `open_oauth_state` returns a state only if it was sealed by us with the same
// key for this purpose, is unmodified, has not expired at `now`, and its content is complete
// and well-formed; otherwise a typed error. The CSRF nonce is for the caller to compare,
// in constant time, with the value it bound to the browser (RFC 6749 §10.12).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/crypto_port.hpp"

namespace bmcp::oauth {

inline constexpr std::int64_t kOAuthStateLifetimeSeconds = 600;
inline constexpr std::string_view kOAuthStateAad = "oauth-state";

// The MCP client's /authorize request, waiting for the user to log in at the broker.
struct PendingAuthorization {
  std::string client_id;
  std::string redirect_uri;
  std::string state;           // the client's own state, echoed back to it (may be empty)
  std::string code_challenge;  // S256 (the only method we accept)
  std::string scope;           // space-separated, may be empty
  std::string resource;        // RFC 8707 resource indicator, may be empty
};

struct BrokerLoginState {
  PendingAuthorization request;
  std::string broker;                // "schwab", "tastytrade" or "sandbox-<name>"
  std::string broker_code_verifier;  // our RFC 7636 verifier for the broker leg
  std::string csrf_nonce;
};

// "schwab", "tastytrade", or "sandbox-" followed by 1..32 of [a-z0-9-].
bool is_supported_broker_name(std::string_view broker);

// Seals `state` with exp = now + 10 min. nullopt when the key or IV has the wrong size, or
// the state is incomplete (unknown broker, invalid verifier, empty client id, redirect URI,
// code challenge or nonce): we never hand out a state we would refuse later.
std::optional<std::string> seal_oauth_state(const CryptoPort& crypto, std::string_view key,
                                            const BrokerLoginState& state, std::int64_t now,
                                            std::string_view iv);

enum class OAuthStateError {
  None,
  Invalid,     // not sealed by us for this purpose, tampered, or malformed
  Expired,     // now >= exp
  BadPayload,  // authentic but incomplete (another version of the format)
};

struct OpenedOAuthState {
  OAuthStateError error = OAuthStateError::None;
  std::string message;
  BrokerLoginState state;
  std::int64_t expires_at = 0;

  bool ok() const { return error == OAuthStateError::None; }
};

OpenedOAuthState open_oauth_state(const CryptoPort& crypto, std::string_view key,
                                  std::string_view sealed_state, std::int64_t now);

}  // namespace bmcp::oauth
