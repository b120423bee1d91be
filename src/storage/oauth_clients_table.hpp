// The `oauth_clients` table: MCP clients registered with RFC 7591 dynamic registration.
// A confidential client's secret is stored only as its SHA-256 (hex); the registered
// metadata is kept as the JSON we answered with (minus the secret).
//
// The table is bounded: an insert is refused once it holds `max_clients` rows, and clients
// expire — one that never got a token a day after it registered, any other when it has
// not got a token for 60 days (longer than a refresh token lives idle, so no live grant
// depends on an expired client).
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "storage/d1_rows.hpp"

#include <string>
#include <vector>

namespace bmcp::storage {

struct ClientRecord {
  std::string client_id;
  std::string secret_hash;  // empty for public clients (token_endpoint_auth_method "none")
  Json metadata = Json::object();
  std::int64_t created_at = 0;

  // Read from `metadata`.
  std::string auth_method() const;  // "none" | "client_secret_basic" | "client_secret_post"
  std::string client_name() const;
  std::vector<std::string> redirect_uris() const;
  std::vector<std::string> grant_types() const;
  bool allows_grant(std::string_view grant_type) const;
};

inline constexpr std::int64_t kUnusedClientLifetimeMs = 24LL * 3600 * 1000;
inline constexpr std::int64_t kIdleClientLifetimeMs = 60LL * 24 * 3600 * 1000;

// applied is false when the table already holds `max_clients` clients (nothing written).
Task<Write> insert_client(Io& io, const ClientRecord& client, std::int64_t max_clients);

// Deletes up to `batch` expired clients (see above); storage_ok false when D1 failed.
Task<Write> delete_expired_clients(Io& io, std::int64_t now_ms, std::int64_t batch = 100);

// The client just got tokens: it is in use (written at most once a day per client).
Task<Write> mark_client_used(Io& io, const std::string& client_id, std::int64_t now_ms);

// Looks a client up by id (no user is involved: clients are not personal data).
Task<Lookup<ClientRecord>> find_client(Io& io, const std::string& client_id);

}  // namespace bmcp::storage
