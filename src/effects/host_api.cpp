#include "effects/host_api.hpp"

#include "effects/bounded_fetch.hpp"
#include "effects/effect_args.hpp"

namespace bmcp::host {

Task<std::optional<Json>> storage_get(Io& io, std::string key) {
  Effect effect = effects::to_effect(effects::StorageGet{.key = std::move(key)});
  auto r = co_await io.perform(std::move(effect));
  if (!r.ok) co_return std::nullopt;
  const Json* v = find_member(r.value, "value");
  if (!v || v->is_null()) co_return std::nullopt;
  co_return *v;
}

Task<bool> storage_put(Io& io, std::string key, Json value) {
  Effect effect =
      effects::to_effect(effects::StoragePut{.key = std::move(key), .value = std::move(value)});
  auto r = co_await io.perform(std::move(effect));
  co_return r.ok;
}

Task<bool> storage_delete(Io& io, std::string key) {
  Effect effect = effects::to_effect(effects::StorageDelete{.key = std::move(key)});
  auto r = co_await io.perform(std::move(effect));
  co_return r.ok;
}

Task<bool> response_start(Io& io, const http::Response& head, std::string stream_key) {
  effects::ResponseStart args{.status = head.status, .headers = head.headers};
  if (!stream_key.empty()) args.stream_key = std::move(stream_key);
  Effect effect = effects::to_effect(std::move(args));
  auto r = co_await io.perform(std::move(effect));
  co_return r.ok;
}

Task<bool> response_write(Io& io, std::string data) {
  Effect effect = effects::to_effect(effects::ResponseWrite{.data = std::move(data)});
  auto r = co_await io.perform(std::move(effect));
  co_return r.ok;
}

Task<bool> response_send(Io& io, const http::Response& response) {
  Effect effect = effects::to_effect(effects::ResponseSend{
      .status = response.status, .headers = response.headers, .body = response.body});
  auto r = co_await io.perform(std::move(effect));
  co_return r.ok;
}

Task<bool> stream_write(Io& io, std::string stream_key, std::string data) {
  Effect effect = effects::to_effect(
      effects::StreamWrite{.stream_key = std::move(stream_key), .data = std::move(data)});
  auto r = co_await io.perform(std::move(effect));
  co_return r.ok;
}

Task<bool> stream_close(Io& io, std::string stream_key) {
  Effect effect = effects::to_effect(effects::StreamClose{.stream_key = std::move(stream_key)});
  auto r = co_await io.perform(std::move(effect));
  co_return r.ok;
}

Task<std::optional<Json>> mailbox_wait(Io& io, std::string key, std::int64_t timeout_ms) {
  Effect effect =
      effects::to_effect(effects::MailboxWait{.key = std::move(key), .timeout_ms = timeout_ms});
  auto r = co_await io.perform(std::move(effect));
  if (!r.ok) co_return std::nullopt;
  const Json* v = find_member(r.value, "value");
  if (!v) co_return std::nullopt;
  co_return *v;
}

Task<bool> mailbox_post(Io& io, std::string key, Json value) {
  Effect effect =
      effects::to_effect(effects::MailboxPost{.key = std::move(key), .value = std::move(value)});
  auto r = co_await io.perform(std::move(effect));
  co_return (r.ok && get_bool(r.value, "delivered").value_or(false));
}

Task<void> call_tag(Io& io, std::string tag) {
  Effect effect = effects::to_effect(effects::CallTag{.tag = std::move(tag)});
  co_await io.perform(std::move(effect));
}

Task<bool> call_cancel(Io& io, std::string tag) {
  Effect effect = effects::to_effect(effects::CallCancel{.tag = std::move(tag)});
  auto r = co_await io.perform(std::move(effect));
  co_return (r.ok && get_bool(r.value, "cancelled").value_or(false));
}

Task<void> sleep(Io& io, std::int64_t ms) {
  Effect effect = effects::to_effect(effects::Sleep{.ms = ms});
  co_await io.perform(std::move(effect));
}

namespace {
// {status, headers, body} of http.fetch and object.fetch.
FetchResult decode_fetch(const EffectOutcome& r) {
  FetchResult out;
  if (!r.ok) {
    out.error_code = r.error_code;
    out.error_message = r.error_message;
    return out;
  }
  out.ok = true;
  out.response.status = static_cast<int>(get_int(r.value, "status").value_or(0));
  if (const Json* hs = find_member(r.value, "headers"); hs && hs->is_array())
    for (const Json& pair : *hs)
      if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string())
        out.response.headers.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  out.response.body = get_string(r.value, "body").value_or("");
  return out;
}
}  // namespace

Task<FetchResult> fetch(Io& io, const http::Request& request, std::int64_t timeout_ms) {
  co_return co_await fetch_at_most(io, request, timeout_ms, kMaxFetchBodyBytes);
}

Task<FetchResult> fetch_at_most(Io& io, const http::Request& request, std::int64_t timeout_ms,
                                std::int64_t max_bytes) {
  effects::HttpFetch args{
      .method = request.method,
      .url = request.url,
      .headers = request.headers,
      .body = request.body,
      .timeout_ms = timeout_ms,
      .max_bytes = max_bytes};  // the host stops reading there (bindings/ABI.md "Limits")
  Effect effect = effects::to_effect(std::move(args));
  auto r = co_await io.perform(std::move(effect));
  co_return decode_fetch(r);
}

Task<std::optional<std::string>> kv_get(Io& io, std::string key) {
  Effect effect = effects::to_effect(effects::KvGet{.key = std::move(key)});
  auto r = co_await io.perform(std::move(effect));
  if (!r.ok) co_return std::nullopt;
  co_return get_string(r.value, "value");
}

Task<bool> kv_put(Io& io, std::string key, std::string value, std::int64_t ttl_seconds) {
  // Workers KV rejects expirationTtl below 60 seconds.
  if (ttl_seconds < 60) ttl_seconds = 60;
  Effect effect = effects::to_effect(
      effects::KvPut{.key = std::move(key), .value = std::move(value), .ttl = ttl_seconds});
  auto r = co_await io.perform(std::move(effect));
  co_return r.ok;
}

Task<bool> kv_delete(Io& io, std::string key) {
  Effect effect = effects::to_effect(effects::KvDelete{.key = std::move(key)});
  auto r = co_await io.perform(std::move(effect));
  co_return r.ok;
}

namespace {
SqlResult decode_sql(const EffectOutcome& r) {
  SqlResult out;
  if (!r.ok) {
    out.error = r.error_message.empty() ? r.error_code : r.error_message;
    return out;
  }
  out.ok = true;
  if (const Json* rows = find_member(r.value, "rows"); rows && rows->is_array())
    for (const Json& row : *rows) out.rows.push_back(row);
  out.changes = get_int(r.value, "changes").value_or(0);
  return out;
}
}  // namespace

Task<SqlResult> d1_query(Io& io, std::string sql, Json params) {
  Effect effect =
      effects::to_effect(effects::D1Query{.sql = std::move(sql), .params = std::move(params)});
  auto r = co_await io.perform(std::move(effect));
  co_return decode_sql(r);
}

Task<std::vector<SqlResult>> d1_batch(Io& io,
                                      std::vector<std::pair<std::string, Json>> statements) {
  effects::D1Batch args;
  for (auto& [sql, params] : statements)
    args.statements.push_back(
        effects::SqlStatement{.sql = std::move(sql), .params = std::move(params)});
  std::size_t n = statements.size();
  Effect effect = effects::to_effect(std::move(args));
  auto r = co_await io.perform(std::move(effect));
  std::vector<SqlResult> out;
  if (!r.ok) {
    SqlResult failed;
    failed.error = r.error_message.empty() ? r.error_code : r.error_message;
    out.assign(n, failed);
    co_return out;
  }
  const Json* results = find_member(r.value, "results");
  for (std::size_t i = 0; i < n; ++i) {
    if (results && results->is_array() && i < results->size())
      out.push_back(decode_sql(EffectOutcome::success((*results)[i])));
    else out.push_back(SqlResult{});
  }
  co_return out;
}

Task<std::optional<R2Object>> r2_get(Io& io, std::string key) {
  Effect effect = effects::to_effect(effects::R2Get{.key = std::move(key)});
  auto r = co_await io.perform(std::move(effect));
  if (!r.ok) co_return std::nullopt;
  auto value = get_string(r.value, "value");
  if (!value) co_return std::nullopt;
  R2Object out;
  out.value = std::move(*value);
  out.content_type = get_string(r.value, "contentType").value_or("");
  co_return out;
}

Task<std::vector<std::string>> r2_list(Io& io, std::string prefix) {
  Effect effect = effects::to_effect(effects::R2List{.prefix = std::move(prefix)});
  auto r = co_await io.perform(std::move(effect));
  std::vector<std::string> keys;
  if (!r.ok) co_return keys;
  if (const Json* ks = find_member(r.value, "keys"); ks && ks->is_array())
    for (const Json& k : *ks)
      if (k.is_string()) keys.push_back(k.get<std::string>());
  co_return keys;
}

Task<bool> r2_put(Io& io, std::string key, std::string value, std::string content_type) {
  Effect effect = effects::to_effect(effects::R2Put{
      .key = std::move(key), .value = std::move(value), .content_type = std::move(content_type)});
  auto r = co_await io.perform(std::move(effect));
  co_return r.ok;
}

Task<WsOpenResult> ws_open(Io& io, std::string url, std::int64_t timeout_ms) {
  Effect effect =
      effects::to_effect(effects::WsOpen{.url = std::move(url), .timeout_ms = timeout_ms});
  auto r = co_await io.perform(std::move(effect));
  WsOpenResult out;
  if (!r.ok) {
    out.error_code = r.error_code;
    out.error_message = r.error_message;
    co_return out;
  }
  out.socket = get_string(r.value, "socket").value_or("");
  out.ok = !out.socket.empty();
  if (!out.ok) out.error_code = "binding";
  co_return out;
}

Task<bool> ws_send(Io& io, std::string socket, std::string data) {
  Effect effect =
      effects::to_effect(effects::WsSend{.socket = std::move(socket), .data = std::move(data)});
  auto r = co_await io.perform(std::move(effect));
  co_return r.ok;
}

Task<WsReceiveResult> ws_receive(Io& io, std::string socket, std::int64_t timeout_ms) {
  Effect effect =
      effects::to_effect(effects::WsReceive{.socket = std::move(socket), .timeout_ms = timeout_ms});
  auto r = co_await io.perform(std::move(effect));
  WsReceiveResult out;
  if (r.ok) {
    out.status = WsReceiveResult::Status::kMessage;
    out.data = get_string(r.value, "data").value_or("");
  } else {
    out.status = r.error_code == "timeout"  ? WsReceiveResult::Status::kTimeout
                 : r.error_code == "closed" ? WsReceiveResult::Status::kClosed
                                            : WsReceiveResult::Status::kError;
    out.error_message = r.error_message;
  }
  co_return out;
}

Task<void> ws_close(Io& io, std::string socket) {
  Effect effect = effects::to_effect(effects::WsClose{.socket = std::move(socket)});
  co_await io.perform(std::move(effect));
}

namespace {
StartResult start_result(const EffectOutcome& r) {
  StartResult out;
  out.ok = r.ok;
  out.error_code = r.error_code;
  out.error_message = r.error_message;
  return out;
}
}  // namespace

Task<StartResult> workflow_create(Io& io, std::string binding, std::string id, Json payload) {
  Effect effect = effects::to_effect(effects::WorkflowCreate{
      .binding = std::move(binding), .id = std::move(id), .params = std::move(payload)});
  auto r = co_await io.perform(std::move(effect));
  co_return start_result(r);
}

Task<StartResult> queue_send(Io& io, std::string binding, Json body) {
  Effect effect = effects::to_effect(
      effects::QueueSend{.binding = std::move(binding), .body = std::move(body)});
  auto r = co_await io.perform(std::move(effect));
  co_return start_result(r);
}

Task<FetchResult> object_fetch(Io& io, std::string binding, std::string name,
                               const http::Request& request) {
  Effect effect = effects::to_effect(effects::ObjectFetch{
      .binding = std::move(binding), .name = std::move(name), .request = request});
  auto r = co_await io.perform(std::move(effect));
  co_return decode_fetch(r);
}

Task<std::int64_t> hub_broadcast(Io& io, Json channels, std::string data) {
  Effect effect = effects::to_effect(
      effects::HubBroadcast{.channels = std::move(channels), .data = std::move(data)});
  auto r = co_await io.perform(std::move(effect));
  if (!r.ok) co_return 0;
  co_return get_int(r.value, "delivered").value_or(0);
}

}  // namespace bmcp::host
