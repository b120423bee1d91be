#include "storage/oauth_refresh_tokens_table.hpp"

#include "effects/host_api.hpp"

namespace bmcp::storage {

Task<Write> record_refresh_token(Io& io, const std::string& grant_id, const std::string& user_id,
                                 const std::string& token_hash, std::int64_t issued_at,
                                 std::int64_t forget_before) {
  std::vector<std::pair<std::string, Json>> statements;
  statements.emplace_back(
      "INSERT INTO oauth_refresh_tokens (token_hash, grant_id, user_id, issued_at) VALUES (?1, ?2, "
      "?3, ?4)",
      Json::array({token_hash, grant_id, user_id, issued_at}));
  statements.emplace_back("DELETE FROM oauth_refresh_tokens WHERE grant_id = ?1 AND issued_at < ?2",
                          Json::array({grant_id, forget_before}));
  std::vector<host::SqlResult> results = co_await host::d1_batch(io, std::move(statements));
  const bool ok = results.size() == 2 && results[0].ok && results[1].ok;
  co_return Write{ok, ok && results[0].changes == 1};
}

Task<Lookup<RefreshTokenMember>> find_refresh_token_member(Io& io, const std::string& token_hash) {
  std::string sql = "SELECT grant_id, user_id FROM oauth_refresh_tokens WHERE token_hash = ?1";
  Json params = Json::array({token_hash});
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  Lookup<RefreshTokenMember> out;
  if (!result.ok) co_return out;
  out.storage_ok = true;
  if (!result.rows.empty())
    out.row = RefreshTokenMember{column_text(result.rows.front(), "grant_id"),
                                 column_text(result.rows.front(), "user_id")};
  co_return out;
}

}  // namespace bmcp::storage
