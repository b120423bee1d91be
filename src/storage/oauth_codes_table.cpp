#include "storage/oauth_codes_table.hpp"

#include "effects/host_api.hpp"

namespace bmcp::storage {

Statement insert_code_statement(const CodeRecord& code) {
  return {
      "INSERT INTO oauth_codes (code_hash, grant_id, client_id, user_id, redirect_uri, "
      "code_challenge, resource, scope, expires_at, used_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL)",
      Json::array({code.code_hash, code.grant_id, code.client_id, code.user_id, code.redirect_uri,
                   code.code_challenge, code.resource, code.scope, code.expires_at})};
}

Task<Lookup<CodeRecord>> find_code(Io& io, const std::string& code_hash) {
  std::string sql =
      "SELECT code_hash, grant_id, client_id, user_id, redirect_uri, code_challenge, resource, "
      "scope, expires_at, used_at FROM oauth_codes WHERE code_hash = ?1";
  Json params = Json::array({code_hash});
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  Lookup<CodeRecord> out;
  if (!result.ok) co_return out;
  out.storage_ok = true;
  if (result.rows.empty()) co_return out;
  const Json& row = result.rows.front();
  CodeRecord code;
  code.code_hash = column_text(row, "code_hash");
  code.grant_id = column_text(row, "grant_id");
  code.client_id = column_text(row, "client_id");
  code.user_id = column_text(row, "user_id");
  code.redirect_uri = column_text(row, "redirect_uri");
  code.code_challenge = column_text(row, "code_challenge");
  code.resource = column_text(row, "resource");
  code.scope = column_text(row, "scope");
  code.expires_at = column_int(row, "expires_at").value_or(0);
  code.used_at = column_int(row, "used_at");
  out.row = std::move(code);
  co_return out;
}

Task<Write> consume_code(Io& io, const CodeRecord& code, std::int64_t now_ms) {
  std::string sql =
      "UPDATE oauth_codes SET used_at = ?1 WHERE code_hash = ?2 AND user_id = ?3 "
      "AND used_at IS NULL";
  Json params = Json::array({now_ms, code.code_hash, code.user_id});
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  co_return Write{result.ok, result.ok && result.changes == 1};
}

}  // namespace bmcp::storage
