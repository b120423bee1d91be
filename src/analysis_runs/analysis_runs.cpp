#include "analysis_runs/analysis_runs.hpp"

#include "crypto/hex.hpp"
#include "effects/host_api.hpp"

namespace bmcp::analysis_runs {

std::string new_run_id(Io& io) { return "an_" + crypto::hex_encode(io.crypto().random_bytes(12)); }

Task<bool> insert_run(Io& io, std::string id, std::string user_id, std::string kind,
                      std::string symbol, Json params) {
  std::string sql =
      "INSERT INTO analyses (id, user_id, kind, symbol, params, status, created_at) "
      "VALUES (?, ?, ?, ?, ?, 'running', ?)";
  Json values = Json::array({id, user_id, kind, symbol, dump_json(params), io.now_ms()});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(values));
  co_return r.ok;
}

Task<bool> complete_run(Io& io, std::string id, std::string user_id, Json result) {
  std::string sql =
      "UPDATE analyses SET status = 'complete', result = ?, error = NULL, completed_at = ?, "
      "progress = 1 "
      "WHERE id = ? AND user_id = ?";
  Json values = Json::array({dump_json(result), io.now_ms(), id, user_id});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(values));
  co_return (r.ok && r.changes == 1);
}

Task<bool> fail_run(Io& io, std::string id, std::string user_id, std::string error) {
  std::string sql =
      "UPDATE analyses SET status = 'failed', result = NULL, error = ?, completed_at = ? "
      "WHERE id = ? AND user_id = ? AND status = 'running'";
  Json values = Json::array({error, io.now_ms(), id, user_id});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(values));
  // A repeated failure of a run already ended changes nothing, and that is fine.
  co_return r.ok;
}

Task<std::optional<Json>> find_run(Io& io, std::string id, std::string user_id) {
  std::string sql =
      "SELECT id, kind, symbol, params, status, result, error, created_at, completed_at, progress, "
      "progress_message "
      "FROM analyses WHERE id = ? AND user_id = ?";
  Json values = Json::array({id, user_id});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(values));
  if (!r.ok || r.rows.empty()) co_return std::nullopt;
  const Json& row = r.rows[0];
  const std::string status = get_string(row, "status").value_or("running");
  Json out = {{"workflowId", get_string(row, "id").value_or(id)},
              {"kind", get_string(row, "kind").value_or("")},
              {"symbol", get_string(row, "symbol").value_or("")},
              {"status", status},
              {"progress", status == "running" ? get_number(row, "progress").value_or(0.0) : 1.0}};
  if (auto m = get_string(row, "progress_message"); m && status == "running") out["message"] = *m;
  if (auto p = get_string(row, "params"))
    if (auto pj = parse_json(*p)) out["params"] = std::move(*pj);
  if (auto res = get_string(row, "result"))
    if (auto rj = parse_json(*res)) out["result"] = std::move(*rj);
  if (auto e = get_string(row, "error")) out["error"] = *e;
  if (auto c = get_int(row, "created_at")) out["createdAt"] = *c;
  if (auto c = get_int(row, "completed_at")) out["completedAt"] = *c;
  co_return out;
}

Task<bool> set_progress(Io& io, std::string id, std::string user_id, double progress,
                        std::string message) {
  std::string sql =
      "UPDATE analyses SET progress = ?, progress_message = ? WHERE id = ? AND user_id = ? AND "
      "status = 'running'";
  Json values = Json::array({progress, message, id, user_id});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(values));
  co_return r.ok;
}

Task<Json> run_events(Io& io, std::string id, std::string user_id) {
  std::string sql =
      "SELECT body, created_at FROM analysis_events WHERE analysis_id = ? AND user_id = ? "
      "ORDER BY created_at, rowid LIMIT 50";
  Json values = Json::array({id, user_id});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(values));
  Json out = Json::array();
  for (const Json& row : r.rows) {
    auto body = parse_json(get_string(row, "body").value_or(""));
    if (!body) continue;
    Json e = {{"type", get_string(*body, "type").value_or("")},
              {"at", get_int(row, "created_at").value_or(0)}};
    if (auto p = get_number(*body, "progress")) e["progress"] = *p;
    if (auto m = get_string(*body, "message")) e["message"] = *m;
    if (auto st = get_string(*body, "status")) e["status"] = *st;
    out.push_back(std::move(e));
  }
  co_return out;
}

}  // namespace bmcp::analysis_runs
