#include "storage/users_table.hpp"

#include "effects/host_api.hpp"

namespace bmcp::storage {

std::string user_id_for(std::string_view provider, std::string_view external_id) {
  std::string id(provider);
  id.push_back(':');
  id.append(external_id);
  return id;
}

std::string provider_of_user(std::string_view user_id) {
  auto colon = user_id.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == user_id.size()) return "";
  return std::string(user_id.substr(0, colon));
}

Statement upsert_user_statement(std::string_view user_id, std::string_view provider,
                                std::string_view external_id, std::string_view email,
                                std::int64_t now_ms) {
  Json email_value = email.empty() ? Json(nullptr) : Json(std::string(email));
  return {
      "INSERT INTO users (id, provider, external_id, email, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?5) "
      "ON CONFLICT(id) DO UPDATE SET email = COALESCE(excluded.email, users.email), "
      "updated_at = excluded.updated_at",
      Json::array({std::string(user_id), std::string(provider), std::string(external_id),
                   email_value, now_ms})};
}

Task<Lookup<std::string>> find_user_email(Io& io, const std::string& user_id) {
  std::string sql = "SELECT email FROM users WHERE id = ?1";
  Json params = Json::array({user_id});
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  Lookup<std::string> out;
  if (!result.ok) co_return out;
  out.storage_ok = true;
  if (!result.rows.empty()) out.row = column_text(result.rows.front(), "email");
  co_return out;
}

}  // namespace bmcp::storage
