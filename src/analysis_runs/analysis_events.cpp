#include "analysis_runs/analysis_events.hpp"

#include "effects/host_api.hpp"
#include "resources/resources.hpp"

namespace bmcp::analysis_runs::analysis_events {
namespace {

Json channels_for(const std::string& id) { return Json::array({"analysis", "analysis:" + id}); }

Json base_event(const RunRef& run, const char* type, const std::string& discriminator) {
  return {{"id", run.id + ":" + type + ":" + discriminator},
          {"type", type},
          {"channels", channels_for(run.id)},
          {"workflowId", run.id},
          {"kind", run.kind},
          {"symbol", run.symbol}};
}

}  // namespace

Json progress_event(const RunRef& run, std::string step, double progress, std::string message) {
  Json e = base_event(run, "analysis.progress", step);
  e["progress"] = progress;
  e["message"] = std::move(message);
  return e;
}

Json completion_event(const RunRef& run, std::string status, std::string error) {
  Json e = base_event(run, "analysis.complete", status);
  e["status"] = std::move(status);
  if (!error.empty()) e["error"] = std::move(error);
  return e;
}

Task<bool> publish(Io& io, const RunRef& run, Json event) {
  Json message = {{"userId", run.user_id}, {"event", std::move(event)}};
  host::StartResult r = co_await host::queue_send(io, kQueueBinding, std::move(message));
  co_return r.ok;
}

Task<bool> consume(Io& io, Json message) {
  const std::string user = get_string(message, "userId").value_or("");
  const Json* found = find_member(message, "event");
  Json event = found && found->is_object() ? *found : Json::object();
  const std::string event_id = get_string(event, "id").value_or("");
  const std::string run_id = get_string(event, "workflowId").value_or("");
  const std::string type = get_string(event, "type").value_or("");
  // Not something this server sends: retrying would not make it deliverable.
  if (user.empty() || event_id.empty() || run_id.empty() ||
      (type != "analysis.progress" && type != "analysis.complete"))
    co_return true;
  // Defence in depth: the event goes to the run's owner only, whatever the message says.
  std::string owner_sql = "SELECT 1 AS owned FROM analyses WHERE id = ? AND user_id = ?";
  Json owner_params = Json::array({run_id, user});
  host::SqlResult owned =
      co_await host::d1_query(io, std::move(owner_sql), std::move(owner_params));
  if (!owned.ok) co_return false;
  if (owned.rows.empty()) co_return true;

  std::string insert_sql =
      "INSERT OR IGNORE INTO analysis_events (id, analysis_id, user_id, type, body, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)";
  Json insert_params = Json::array({event_id, run_id, user, type, dump_json(event), io.now_ms()});
  host::SqlResult recorded =
      co_await host::d1_query(io, std::move(insert_sql), std::move(insert_params));
  if (!recorded.ok) co_return false;

  const Json channels = find_member(event, "channels") ? event["channels"] : channels_for(run_id);
  http::Request broadcast;
  broadcast.method = "POST";
  broadcast.url = "https://user-hub.internal/broadcast";
  broadcast.parsed_url = *http::parse_url(broadcast.url);
  broadcast.headers.emplace_back("Content-Type", "application/json");
  Json notice = {{"channels", channels}, {"event", event}};
  // A finished analysis is a new entry of history://analyses: its listeners are told.
  if (type == "analysis.complete")
    notice["resourcesUpdated"] = Json::array({resources::kAnalysesUri});
  broadcast.body = dump_json(notice);
  host::FetchResult sent = co_await host::object_fetch(io, kHubBinding, user, broadcast);
  // A deployment without the hub has nobody to tell; anything else is worth a retry.
  if (!sent.ok) co_return sent.error_code == "unbound";
  co_return sent.response.status == 200;
}

}  // namespace bmcp::analysis_runs::analysis_events
