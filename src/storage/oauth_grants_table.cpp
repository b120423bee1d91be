#include "storage/oauth_grants_table.hpp"

#include "effects/host_api.hpp"

namespace bmcp::storage {
namespace {

constexpr const char* kGrantColumns =
    "id, user_id, client_id, scope, resource, refresh_token_hash, previous_refresh_token_hash, "
    "previous_valid_until, created_at, expires_at, revoked_at";

GrantRecord grant_from_row(const Json& row) {
  GrantRecord g;
  g.id = column_text(row, "id");
  g.user_id = column_text(row, "user_id");
  g.client_id = column_text(row, "client_id");
  g.scope = column_text(row, "scope");
  g.resource = column_text(row, "resource");
  g.refresh_token_hash = column_text(row, "refresh_token_hash");
  g.previous_refresh_token_hash = column_text(row, "previous_refresh_token_hash");
  g.previous_valid_until = column_int(row, "previous_valid_until");
  g.created_at = column_int(row, "created_at").value_or(0);
  g.expires_at = column_int(row, "expires_at").value_or(0);
  g.revoked_at = column_int(row, "revoked_at");
  return g;
}

Task<Lookup<GrantRecord>> select_one(Io& io, std::string where, Json params) {
  std::string sql = std::string("SELECT ") + kGrantColumns + " FROM oauth_grants WHERE " + where;
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  Lookup<GrantRecord> out;
  if (!result.ok) co_return out;
  out.storage_ok = true;
  if (!result.rows.empty()) out.row = grant_from_row(result.rows.front());
  co_return out;
}

Task<Write> update(Io& io, std::string sql, Json params) {
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  co_return Write{result.ok, result.ok && result.changes > 0};
}

}  // namespace

Statement insert_grant_statement(const GrantRecord& g) {
  return {
      "INSERT INTO oauth_grants (id, user_id, client_id, scope, resource, refresh_token_hash, "
      "previous_refresh_token_hash, previous_valid_until, created_at, expires_at, revoked_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, NULL, NULL, NULL, ?6, ?7, NULL)",
      Json::array({g.id, g.user_id, g.client_id, g.scope, g.resource, g.created_at, g.expires_at})};
}

Task<Lookup<GrantRecord>> find_grant(Io& io, const std::string& grant_id,
                                     const std::string& user_id) {
  std::string where = "id = ?1 AND user_id = ?2";
  Json params = Json::array({grant_id, user_id});
  co_return co_await select_one(io, std::move(where), std::move(params));
}

Task<Lookup<GrantRecord>> find_grant_by_refresh_hash(Io& io, const std::string& refresh_hash) {
  std::string where = "refresh_token_hash = ?1";
  Json params = Json::array({refresh_hash});
  co_return co_await select_one(io, std::move(where), std::move(params));
}

Task<Lookup<GrantRecord>> find_grant_by_previous_refresh_hash(Io& io,
                                                              const std::string& refresh_hash) {
  std::string where = "previous_refresh_token_hash = ?1";
  Json params = Json::array({refresh_hash});
  co_return co_await select_one(io, std::move(where), std::move(params));
}

Task<Write> activate_grant(Io& io, const GrantRecord& grant, const std::string& refresh_hash,
                           std::int64_t expires_at) {
  std::string sql =
      "UPDATE oauth_grants SET refresh_token_hash = ?1, expires_at = ?2 "
      "WHERE id = ?3 AND user_id = ?4 AND refresh_token_hash IS NULL AND revoked_at IS NULL";
  Json params = Json::array({refresh_hash, expires_at, grant.id, grant.user_id});
  co_return co_await update(io, std::move(sql), std::move(params));
}

Task<Write> rotate_refresh_token(Io& io, const GrantRecord& grant, const std::string& old_hash,
                                 const std::string& new_hash, std::int64_t grace_until,
                                 std::int64_t expires_at) {
  std::string sql =
      "UPDATE oauth_grants SET previous_refresh_token_hash = refresh_token_hash, "
      "previous_valid_until = ?1, refresh_token_hash = ?2, expires_at = ?3 "
      "WHERE id = ?4 AND user_id = ?5 AND refresh_token_hash = ?6 AND revoked_at IS NULL";
  Json params = Json::array({grace_until, new_hash, expires_at, grant.id, grant.user_id, old_hash});
  co_return co_await update(io, std::move(sql), std::move(params));
}

Task<Write> reissue_within_grace(Io& io, const GrantRecord& grant, const std::string& previous_hash,
                                 const std::string& new_hash, std::int64_t expires_at,
                                 std::int64_t now_ms) {
  std::string sql =
      "UPDATE oauth_grants SET refresh_token_hash = ?1, expires_at = ?2, previous_valid_until = "
      "NULL "
      "WHERE id = ?3 AND user_id = ?4 AND previous_refresh_token_hash = ?5 AND revoked_at IS NULL "
      "AND previous_valid_until > ?6";
  Json params = Json::array({new_hash, expires_at, grant.id, grant.user_id, previous_hash, now_ms});
  co_return co_await update(io, std::move(sql), std::move(params));
}

Task<Write> revoke_grant(Io& io, const std::string& grant_id, const std::string& user_id,
                         std::int64_t now_ms) {
  std::string sql =
      "UPDATE oauth_grants SET revoked_at = ?1, refresh_token_hash = NULL, "
      "previous_refresh_token_hash = NULL, previous_valid_until = NULL "
      "WHERE id = ?2 AND user_id = ?3 AND revoked_at IS NULL";
  Json params = Json::array({now_ms, grant_id, user_id});
  co_return co_await update(io, std::move(sql), std::move(params));
}

Task<Lookup<GrantStatus>> grant_status(Io& io, const std::string& grant_id,
                                       const std::string& user_id, const std::string& provider) {
  std::string sql =
      "SELECT g.revoked_at AS revoked_at, t.user_id AS token_user, t.invalid_reason AS "
      "invalid_reason "
      "FROM oauth_grants g LEFT JOIN user_oauth_tokens t "
      "ON t.user_id = g.user_id AND t.provider = ?3 "
      "WHERE g.id = ?1 AND g.user_id = ?2";
  Json params = Json::array({grant_id, user_id, provider});
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  Lookup<GrantStatus> out;
  if (!result.ok) co_return out;
  out.storage_ok = true;
  if (result.rows.empty()) co_return out;
  const Json& row = result.rows.front();
  GrantStatus status;
  status.revoked = column_int(row, "revoked_at").has_value();
  status.broker_tokens_present = !column_text(row, "token_user").empty();
  status.broker_invalid_reason = column_text(row, "invalid_reason");
  out.row = status;
  co_return out;
}

}  // namespace bmcp::storage
