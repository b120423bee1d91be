#include "storage/oauth_clients_table.hpp"

#include "effects/host_api.hpp"

namespace bmcp::storage {
namespace {

std::vector<std::string> string_list(const Json& metadata, std::string_view name) {
  std::vector<std::string> out;
  if (const Json* list = find_member(metadata, name); list && list->is_array())
    for (const Json& item : *list)
      if (auto text = as_string(item)) out.push_back(std::move(*text));
  return out;
}

}  // namespace

std::string ClientRecord::auth_method() const {
  return get_string(metadata, "token_endpoint_auth_method").value_or("client_secret_basic");
}

std::string ClientRecord::client_name() const {
  return get_string(metadata, "client_name").value_or("");
}

std::vector<std::string> ClientRecord::redirect_uris() const {
  return string_list(metadata, "redirect_uris");
}

std::vector<std::string> ClientRecord::grant_types() const {
  if (!find_member(metadata, "grant_types")) return {"authorization_code"};
  return string_list(metadata, "grant_types");
}

bool ClientRecord::allows_grant(std::string_view grant_type) const {
  for (const std::string& g : grant_types())
    if (g == grant_type) return true;
  return false;
}

Task<Write> insert_client(Io& io, const ClientRecord& client, std::int64_t max_clients) {
  // One statement, so concurrent registrations cannot both take the last place.
  std::string sql =
      "INSERT INTO oauth_clients (client_id, client_secret_hash, metadata, created_at) "
      "SELECT ?1, ?2, ?3, ?4 WHERE (SELECT COUNT(*) FROM oauth_clients) < ?5";
  Json secret = client.secret_hash.empty() ? Json(nullptr) : Json(client.secret_hash);
  Json params = Json::array(
      {client.client_id, secret, dump_json(client.metadata), client.created_at, max_clients});
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  co_return Write{result.ok, result.ok && result.changes == 1};
}

Task<Write> delete_expired_clients(Io& io, std::int64_t now_ms, std::int64_t batch) {
  std::string sql =
      "DELETE FROM oauth_clients WHERE client_id IN (SELECT client_id FROM oauth_clients "
      "WHERE (last_used_at IS NULL AND created_at < ?1) OR last_used_at < ?2 LIMIT ?3)";
  Json params =
      Json::array({now_ms - kUnusedClientLifetimeMs, now_ms - kIdleClientLifetimeMs, batch});
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  co_return Write{result.ok, result.ok && result.changes > 0};
}

Task<Write> mark_client_used(Io& io, const std::string& client_id, std::int64_t now_ms) {
  std::string sql =
      "UPDATE oauth_clients SET last_used_at = ?1 WHERE client_id = ?2 "
      "AND (last_used_at IS NULL OR last_used_at < ?3)";
  Json params = Json::array({now_ms, client_id, now_ms - 24LL * 3600 * 1000});
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  co_return Write{result.ok, result.ok && result.changes > 0};
}

Task<Lookup<ClientRecord>> find_client(Io& io, const std::string& client_id) {
  std::string sql =
      "SELECT client_id, client_secret_hash, metadata, created_at FROM oauth_clients "
      "WHERE client_id = ?1";
  Json params = Json::array({client_id});
  host::SqlResult result = co_await host::d1_query(io, std::move(sql), std::move(params));
  Lookup<ClientRecord> out;
  if (!result.ok) co_return out;
  out.storage_ok = true;
  if (result.rows.empty()) co_return out;
  const Json& row = result.rows.front();
  ClientRecord record;
  record.client_id = column_text(row, "client_id");
  record.secret_hash = column_text(row, "client_secret_hash");
  record.created_at = column_int(row, "created_at").value_or(0);
  auto metadata = parse_json(column_text(row, "metadata"));
  if (!metadata || !metadata->is_object()) co_return out;  // unreadable: as if unknown
  record.metadata = std::move(*metadata);
  out.row = std::move(record);
  co_return out;
}

}  // namespace bmcp::storage
