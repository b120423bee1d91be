// The authorization server's settings (from the configuration) and this server's identity
// as seen by one request: the issuer is PUBLIC_URL when configured, otherwise the request's
// own origin, and the protected resources are the MCP endpoints on that origin.
#pragma once

#include "http/http_message.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmcp::oauth {

// Lifetimes (seconds).
inline constexpr std::int64_t kAccessTokenLifetimeSeconds = 3600;
inline constexpr std::int64_t kRefreshTokenLifetimeSeconds =
    30 * 24 * 3600;  // idle: renewed on use
inline constexpr std::int64_t kAuthorizationCodeLifetimeSeconds = 120;
inline constexpr std::int64_t kRefreshRetryGraceSeconds = 30;
inline constexpr std::int64_t kConsentLifetimeSeconds = 600;
inline constexpr std::int64_t kDirectSessionLifetimeSeconds =
    24 * 3600;  // the direct sign-in's session JWT: 24 hours

// The client a direct sign-in's grant belongs to: a built-in public client with no redirect
// URI and no grant type, so it can only revoke its own session tokens (RFC 7009).
inline constexpr std::string_view kDirectSignInClientId = "direct-sign-in";

struct BrokerChoice {
  std::string name;          // "schwab" | "tastytrade"
  std::string display_name;  // "Charles Schwab" | "tastytrade"
};

struct ServerSettings {
  std::string jwt_secret;  // JWT_SECRET bytes: signs access tokens (HS256)
  std::string cookie_key;  // COOKIE_ENCRYPTION_KEY: 32 bytes; approval cookie, consent, state
  std::string public_url;  // PUBLIC_URL without a trailing slash, or empty
  std::vector<BrokerChoice> brokers;  // offered on the consent page, in this order
  bool sandbox_brokerage = false;     // the brokers are the local sandbox (SANDBOX_BROKERAGE=1)
  // Client ID Metadata Documents may be served over plain http from a loopback host
  // (ALLOW_LOOPBACK_CLIENT_METADATA=1; local development and tests only).
  bool allow_loopback_client_metadata = false;
  bool trading_enabled = true;
  // A tastytrade sign-in that starts at tastytrade (no client, no state) may end in a
  // read-only session token (TASTYTRADE_DIRECT_SIGN_IN=1); off by default.
  bool direct_sign_in = false;
  // Dynamic registration bounds: registrations per client address per hour
  // (REGISTRATIONS_PER_HOUR) and clients stored at most.
  std::int64_t registrations_per_hour = 20;
  std::int64_t max_registered_clients = 10000;

  const BrokerChoice* find_broker(std::string_view name) const {
    for (const auto& b : brokers)
      if (b.name == name) return &b;
    return nullptr;
  }
};

struct ServerIdentity {
  std::string issuer;        // e.g. https://broker-mcp.example.workers.dev (no trailing slash)
  std::string mcp_resource;  // issuer + "/mcp": the canonical resource (RFC 8707)
  std::string sse_resource;  // issuer + "/sse": the legacy transport, same server

  std::string protected_resource_metadata_url(std::string_view resource_path = "/mcp") const {
    return issuer + "/.well-known/oauth-protected-resource" + std::string(resource_path);
  }
};

ServerIdentity server_identity(const ServerSettings& settings, const http::Request& request);

// RFC 8707 resource indicator check: the canonical form (lowercase scheme and host, no
// trailing slash) of `requested` when it names one of this server's MCP endpoints, else
// nullopt. An absent indicator means the MCP endpoint.
std::optional<std::string> match_resource(const ServerIdentity& identity,
                                          std::string_view requested);

}  // namespace bmcp::oauth
