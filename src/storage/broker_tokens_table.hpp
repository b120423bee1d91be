// The `user_oauth_tokens` table: each person's broker tokens, one row per
// person and broker, sealed with AES-256-GCM (signin/broker_token_record.hpp) — the
// database only ever sees ciphertext and expiry times.
//
// Concurrency: `version` increases on every write of the tokens; `refresh_lease_until` and
// `refresh_lease_owner` elect the one caller that refreshes. A caller takes the lease with a
// conditional UPDATE (same version, no live lease) that writes its own random owner token;
// only it talks to the broker, and it writes the new tokens with a conditional UPDATE on
// *holding the lease* (the owner token), not on the version: an invalidation that bumps the
// version meanwhile must not discard tokens the broker has already rotated. Only a new
// sign-in (which clears the owner) makes the store miss, and then the sign-in's tokens are
// the newer ones. Everyone else waits for the version to change. Each write is one
// statement, so no reader ever sees half of an update.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "storage/d1_rows.hpp"

#include <optional>
#include <string>

namespace bmcp::storage {

struct BrokerTokenRow {
  std::string user_id;
  std::string provider;
  std::string sealed_tokens;
  std::int64_t access_expires_at = 0;              // epoch ms
  std::optional<std::int64_t> refresh_expires_at;  // epoch ms; none when it never expires
  std::int64_t version = 0;
  std::optional<std::int64_t> refresh_lease_until;
  std::string refresh_lease_owner;  // the lease holder's random token; empty when none
  std::string invalid_reason;       // non-empty once the broker refused the refresh token
  std::int64_t updated_at = 0;
};

// A new sign-in: insert, or replace the person's tokens for this broker (clearing any lease
// and any earlier refusal).
Statement upsert_broker_tokens_statement(const std::string& user_id, const std::string& provider,
                                         const std::string& sealed_tokens,
                                         std::int64_t access_expires_at,
                                         std::optional<std::int64_t> refresh_expires_at,
                                         std::int64_t now_ms);

Task<Lookup<BrokerTokenRow>> read_broker_tokens(Io& io, const std::string& user_id,
                                                const std::string& provider);

// Takes the refresh lease for `owner` until `lease_until` if the row is still at `version`,
// usable, and nobody holds a live lease.
Task<Write> acquire_refresh_lease(Io& io, const BrokerTokenRow& row, const std::string& owner,
                                  std::int64_t now_ms, std::int64_t lease_until);

// Stores refreshed tokens (version + 1, lease released) if `owner` still holds the lease, or
// the row still holds the tokens `row` had (nothing newer was stored meanwhile).
Task<Write> store_refreshed_tokens(Io& io, const BrokerTokenRow& row, const std::string& owner,
                                   const std::string& sealed_tokens, std::int64_t access_expires_at,
                                   std::optional<std::int64_t> refresh_expires_at,
                                   std::int64_t now_ms);

// The broker refused the refresh token: remember why (version + 1, lease released), if
// `owner` still holds the lease.
Task<Write> mark_refresh_refused(Io& io, const BrokerTokenRow& row, const std::string& owner,
                                 const std::string& reason, std::int64_t now_ms);
// The same for a refresh token that expired by its own date (no lease involved): if the
// row is still at row.version.
Task<Write> mark_refresh_expired(Io& io, const BrokerTokenRow& row, const std::string& reason,
                                 std::int64_t now_ms);

// Gives the lease back without changing the tokens (a transient failure), if `owner` holds it.
Task<Write> release_refresh_lease(Io& io, const BrokerTokenRow& row, const std::string& owner);

// The broker rejected the access token before its time: make it due for refresh now
// (version + 1), if the row is still at row.version. A lease held meanwhile is untouched:
// its holder still stores what it got.
Task<Write> expire_access_token(Io& io, const BrokerTokenRow& row, std::int64_t now_ms);

}  // namespace bmcp::storage
