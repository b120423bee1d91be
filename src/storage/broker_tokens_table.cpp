#include "storage/broker_tokens_table.hpp"

#include "effects/host_api.hpp"

namespace bmcp::storage {
namespace {

Task<Write> update(Io& io, std::string sql, Json params) {
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  co_return Write{result.ok, result.ok && result.changes > 0};
}

}  // namespace

Statement upsert_broker_tokens_statement(const std::string& user_id, const std::string& provider,
                                         const std::string& sealed_tokens,
                                         std::int64_t access_expires_at,
                                         std::optional<std::int64_t> refresh_expires_at,
                                         std::int64_t now_ms) {
  return {
      "INSERT INTO user_oauth_tokens (user_id, provider, sealed_tokens, access_expires_at, "
      "refresh_expires_at, version, refresh_lease_until, invalid_reason, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, 1, NULL, NULL, ?6) "
      "ON CONFLICT(user_id, provider) DO UPDATE SET sealed_tokens = excluded.sealed_tokens, "
      "access_expires_at = excluded.access_expires_at, "
      "refresh_expires_at = excluded.refresh_expires_at, "
      "version = user_oauth_tokens.version + 1, refresh_lease_until = NULL, refresh_lease_owner = "
      "NULL, "
      "invalid_reason = NULL, updated_at = excluded.updated_at",
      Json::array({user_id, provider, sealed_tokens, access_expires_at,
                   nullable(refresh_expires_at), now_ms})};
}

Task<Lookup<BrokerTokenRow>> read_broker_tokens(Io& io, const std::string& user_id,
                                                const std::string& provider) {
  std::string sql =
      "SELECT user_id, provider, sealed_tokens, access_expires_at, refresh_expires_at, version, "
      "refresh_lease_until, refresh_lease_owner, invalid_reason, updated_at FROM user_oauth_tokens "
      "WHERE user_id = ?1 AND provider = ?2";
  Json params = Json::array({user_id, provider});
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  Lookup<BrokerTokenRow> out;
  if (!result.ok) co_return out;
  out.storage_ok = true;
  if (result.rows.empty()) co_return out;
  const Json& r = result.rows.front();
  BrokerTokenRow row;
  row.user_id = column_text(r, "user_id");
  row.provider = column_text(r, "provider");
  row.sealed_tokens = column_text(r, "sealed_tokens");
  row.access_expires_at = column_int(r, "access_expires_at").value_or(0);
  row.refresh_expires_at = column_int(r, "refresh_expires_at");
  row.version = column_int(r, "version").value_or(0);
  row.refresh_lease_until = column_int(r, "refresh_lease_until");
  row.refresh_lease_owner = column_text(r, "refresh_lease_owner");
  row.invalid_reason = column_text(r, "invalid_reason");
  row.updated_at = column_int(r, "updated_at").value_or(0);
  out.row = std::move(row);
  co_return out;
}

Task<Write> acquire_refresh_lease(Io& io, const BrokerTokenRow& row, const std::string& owner,
                                  std::int64_t now_ms, std::int64_t lease_until) {
  std::string sql =
      "UPDATE user_oauth_tokens SET refresh_lease_until = ?1, refresh_lease_owner = ?2 "
      "WHERE user_id = ?3 AND provider = ?4 AND version = ?5 AND invalid_reason IS NULL "
      "AND (refresh_lease_until IS NULL OR refresh_lease_until <= ?6)";
  Json params = Json::array({lease_until, owner, row.user_id, row.provider, row.version, now_ms});
  co_return co_await update(io, std::move(sql), std::move(params));
}

Task<Write> store_refreshed_tokens(Io& io, const BrokerTokenRow& row, const std::string& owner,
                                   const std::string& sealed_tokens, std::int64_t access_expires_at,
                                   std::optional<std::int64_t> refresh_expires_at,
                                   std::int64_t now_ms) {
  std::string sql =
      "UPDATE user_oauth_tokens SET sealed_tokens = ?1, access_expires_at = ?2, "
      "refresh_expires_at = ?3, version = version + 1, refresh_lease_until = NULL, "
      "refresh_lease_owner = NULL, updated_at = ?4 "
      "WHERE user_id = ?5 AND provider = ?6 AND (refresh_lease_owner = ?7 OR sealed_tokens = ?8)";
  // Held lease, or (a lease that outlived its time and was taken over) the row still holds
  // the very tokens this refresh started from: nothing newer was stored, so these are.
  Json params = Json::array({sealed_tokens, access_expires_at, nullable(refresh_expires_at), now_ms,
                             row.user_id, row.provider, owner, row.sealed_tokens});
  co_return co_await update(io, std::move(sql), std::move(params));
}

Task<Write> mark_refresh_refused(Io& io, const BrokerTokenRow& row, const std::string& owner,
                                 const std::string& reason, std::int64_t now_ms) {
  std::string sql =
      "UPDATE user_oauth_tokens SET invalid_reason = ?1, version = version + 1, "
      "refresh_lease_until = NULL, refresh_lease_owner = NULL, updated_at = ?2 "
      "WHERE user_id = ?3 AND provider = ?4 AND refresh_lease_owner = ?5";
  Json params = Json::array({reason, now_ms, row.user_id, row.provider, owner});
  co_return co_await update(io, std::move(sql), std::move(params));
}

Task<Write> mark_refresh_expired(Io& io, const BrokerTokenRow& row, const std::string& reason,
                                 std::int64_t now_ms) {
  std::string sql =
      "UPDATE user_oauth_tokens SET invalid_reason = ?1, version = version + 1, "
      "refresh_lease_until = NULL, refresh_lease_owner = NULL, updated_at = ?2 "
      "WHERE user_id = ?3 AND provider = ?4 AND version = ?5";
  Json params = Json::array({reason, now_ms, row.user_id, row.provider, row.version});
  co_return co_await update(io, std::move(sql), std::move(params));
}

Task<Write> release_refresh_lease(Io& io, const BrokerTokenRow& row, const std::string& owner) {
  std::string sql =
      "UPDATE user_oauth_tokens SET refresh_lease_until = NULL, refresh_lease_owner = NULL "
      "WHERE user_id = ?1 AND provider = ?2 AND refresh_lease_owner = ?3";
  Json params = Json::array({row.user_id, row.provider, owner});
  co_return co_await update(io, std::move(sql), std::move(params));
}

Task<Write> expire_access_token(Io& io, const BrokerTokenRow& row, std::int64_t now_ms) {
  std::string sql =
      "UPDATE user_oauth_tokens SET access_expires_at = ?1, version = version + 1, updated_at = ?1 "
      "WHERE user_id = ?2 AND provider = ?3 AND version = ?4 AND access_expires_at > ?1";
  Json params = Json::array({now_ms, row.user_id, row.provider, row.version});
  co_return co_await update(io, std::move(sql), std::move(params));
}

}  // namespace bmcp::storage
