// The consent form's memory: the validated authorization request travels from
// GET /authorize to POST /authorize inside the page, sealed (AES-256-GCM under
// COOKIE_ENCRYPTION_KEY, aad "consent-ticket") so the browser can neither read nor alter it,
// together with the CSRF nonce that must also come back in the form and in the consent
// cookie (double submit). It expires after kConsentLifetimeSeconds.
#pragma once

#include "crypto/crypto_port.hpp"
#include "oauth/oauth_state.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bmcp::oauth {

inline constexpr std::string_view kConsentTicketAad = "consent-ticket";
inline constexpr std::string_view kConsentCookieName = "mcp-consent";

struct ConsentTicket {
  PendingAuthorization request;  // request.scope: what the client asked for
  // Whether the page offered "allow trading": the server trades and the client's
  // registration does not rule it out. Without it, the person can grant only read access.
  bool offer_trade = false;
  std::string csrf_nonce;
  std::int64_t expires_at = 0;  // seconds
};

std::optional<std::string> seal_consent_ticket(const CryptoPort& crypto, std::string_view key,
                                               const ConsentTicket& ticket, std::string_view iv);

// nullopt when not ours, tampered, malformed, incomplete or expired at `now` (seconds).
std::optional<ConsentTicket> open_consent_ticket(const CryptoPort& crypto, std::string_view key,
                                                 std::string_view sealed, std::int64_t now);

}  // namespace bmcp::oauth
