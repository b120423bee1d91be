// The `oauth_clients` table: MCP clients registered with RFC 7591 dynamic registration.
// A confidential client's secret is stored only as its SHA-256 (hex); the registered
// metadata is kept as the JSON we answered with (minus the secret).
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

Task<bool> insert_client(Io& io, const ClientRecord& client);

// Looks a client up by id (no user is involved: clients are not personal data).
Task<Lookup<ClientRecord>> find_client(Io& io, const std::string& client_id);

}  // namespace bmcp::storage
