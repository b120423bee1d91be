// The `oauth_grants` table: one person's authorization of one MCP client for one resource.
//
// Life of a grant: created with the authorization code (no refresh token yet, expiring with
// the code); activated when the code is exchanged (gets its first refresh-token hash);
// rotated on every refresh (the old hash becomes `previous_refresh_token_hash`, accepted
// once more until `previous_valid_until` so a client can retry a refresh whose answer it
// lost; that one retry clears `previous_valid_until`); revoked by the person (RFC 7009), by
// a replayed code, or by reuse of a superseded refresh token (every token a grant issued is
// recorded in oauth_refresh_tokens_table.hpp). Every write is a conditional UPDATE on the state it
// expects, so concurrent requests cannot both rotate from the same token.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "storage/d1_rows.hpp"

#include <optional>
#include <string>

namespace bmcp::storage {

struct GrantRecord {
  std::string id;
  std::string user_id;
  std::string client_id;
  std::string scope;
  std::string resource;
  std::string refresh_token_hash;           // empty until the code is exchanged
  std::string previous_refresh_token_hash;  // empty when none
  std::optional<std::int64_t> previous_valid_until;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> revoked_at;
};

Statement insert_grant_statement(const GrantRecord& grant);

Task<Lookup<GrantRecord>> find_grant(Io& io, const std::string& grant_id,
                                     const std::string& user_id);
Task<Lookup<GrantRecord>> find_grant_by_refresh_hash(Io& io, const std::string& refresh_hash);
Task<Lookup<GrantRecord>> find_grant_by_previous_refresh_hash(Io& io,
                                                              const std::string& refresh_hash);

// First refresh token of a grant whose code was just exchanged (only if it has none yet and
// is not revoked).
Task<Write> activate_grant(Io& io, const GrantRecord& grant, const std::string& refresh_hash,
                           std::int64_t expires_at);

// current → previous (valid until `grace_until`), `new_hash` → current; only if the current
// hash is still `old_hash` and the grant is not revoked.
Task<Write> rotate_refresh_token(Io& io, const GrantRecord& grant, const std::string& old_hash,
                                 const std::string& new_hash, std::int64_t grace_until,
                                 std::int64_t expires_at);

// The one retry the previous token is allowed inside its grace window: a new current token
// (the current one is superseded) and the grace window closed, so the previous token cannot
// be used again; only if the previous hash is still `previous_hash` and its window is open
// at `now_ms`.
Task<Write> reissue_within_grace(Io& io, const GrantRecord& grant, const std::string& previous_hash,
                                 const std::string& new_hash, std::int64_t expires_at,
                                 std::int64_t now_ms);

Task<Write> revoke_grant(Io& io, const std::string& grant_id, const std::string& user_id,
                         std::int64_t now_ms);

// What the bearer check needs on every MCP request: is the grant alive, and does the
// person still have usable broker tokens (NULL invalid_reason)?
struct GrantStatus {
  bool revoked = false;
  bool broker_tokens_present = false;
  std::string broker_invalid_reason;  // empty when the broker tokens are usable
};
Task<Lookup<GrantStatus>> grant_status(Io& io, const std::string& grant_id,
                                       const std::string& user_id, const std::string& provider);

}  // namespace bmcp::storage
