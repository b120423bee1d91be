// POST /register: RFC 7591 dynamic client registration.
//
// Accepts public clients (token_endpoint_auth_method "none") and confidential ones
// ("client_secret_basic", the RFC 7591 default, or "client_secret_post"); redirect URIs must
// be https, or http to a loopback address (redirect_uri.hpp). Answers 201 with the
// registered metadata, the new client_id and, for a confidential client, a client_secret
// shown this once (only its SHA-256 is stored). Errors are RFC 7591 §3.2.2 JSON:
// invalid_redirect_uri or invalid_client_metadata (400). Unknown metadata is ignored
// (RFC 7591 §2) and not stored.
//
// Anyone may register, so registration is bounded (RFC 7591 §3 leaves this to the server):
// each client address (CF-Connecting-IP) gets REGISTRATIONS_PER_HOUR registrations per
// fixed hour, counted in D1 before the body is read (429 with Retry-After); the table holds
// at most ServerSettings::max_registered_clients (503 when full); and every registration
// first deletes a batch of expired clients (storage/oauth_clients_table.hpp).
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "oauth/server_settings.hpp"

namespace bmcp::oauth {

inline constexpr std::size_t kMaxRegistrationBodyBytes = 16 * 1024;
inline constexpr std::size_t kMaxRedirectUris = 10;

// Validates the metadata; on success `metadata` is what we store and echo (without
// client_id/secret), otherwise `error` and `description` say why.
struct RegistrationCheck {
  Json metadata;
  std::string error;  // "" | "invalid_redirect_uri" | "invalid_client_metadata"
  std::string description;
  bool ok() const { return error.empty(); }
};
RegistrationCheck check_client_metadata(const Json& requested);

Task<http::Response> register_client(Io& io, const ServerSettings& settings,
                                     const http::Request& request);

}  // namespace bmcp::oauth
