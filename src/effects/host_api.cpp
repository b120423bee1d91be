#include "effects/host_api.hpp"

#include "effects/bounded_fetch.hpp"
#include "effects/effect_args.hpp"

namespace bmcp::host {

namespace {

// Each helper is a plain function: it builds its effect (copying what it needs from its
// arguments at once, so nothing it was given by reference is read later) and names how
// the outcome becomes its result. The coroutines are these two, one per result type,
// instead of one per effect kind (a coroutine costs a ramp, a resume and a destroy
// function, and the helpers' own were a sixteenth of the module's code); d1_batch keeps its
// own, as its decoding needs the number of statements sent.
template <class T>
Task<T> perform_as(Io& io, Effect effect, T (*decode)(const EffectOutcome&)) {
  EffectOutcome outcome = co_await io.perform(std::move(effect));
  co_return decode(outcome);
}

Task<void> perform_ignoring_outcome(Io& io, Effect effect) {
  co_await io.perform(std::move(effect));
}

bool succeeded(const EffectOutcome& r) { return r.ok; }

// The outcome's "value" member (null when absent), or nullopt when the effect failed.
std::optional<Json> value_member(const EffectOutcome& r) {
  if (!r.ok) return std::nullopt;
  const Json* v = find_member(r.value, "value");
  if (!v) return std::nullopt;
  return *v;
}

// Storage answers null for a key it does not hold.
std::optional<Json> stored_value(const EffectOutcome& r) {
  std::optional<Json> v = value_member(r);
  if (v && v->is_null()) return std::nullopt;
  return v;
}

bool delivered(const EffectOutcome& r) {
  return r.ok && get_bool(r.value, "delivered").value_or(false);
}

bool cancelled(const EffectOutcome& r) {
  return r.ok && get_bool(r.value, "cancelled").value_or(false);
}

// A failed outcome's error, into a result that reports one.
template <class Result>
Result failed_with(const EffectOutcome& r) {
  Result out;
  out.error_code = r.error_code;
  out.error_message = r.error_message;
  return out;
}

// {status, headers, body} of http.fetch and object.fetch.
FetchResult decode_fetch(const EffectOutcome& r) {
  if (!r.ok) return failed_with<FetchResult>(r);
  FetchResult out;
  out.ok = true;
  out.response.status = static_cast<int>(get_int(r.value, "status").value_or(0));
  if (const Json* hs = find_member(r.value, "headers"); hs && hs->is_array())
    for (const Json& pair : *hs)
      if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string())
        out.response.headers.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  out.response.body = get_string(r.value, "body").value_or("");
  return out;
}

std::optional<std::string> kv_value(const EffectOutcome& r) {
  if (!r.ok) return std::nullopt;
  return get_string(r.value, "value");
}

KvRead decode_kv_read(const EffectOutcome& r) { return KvRead{.ok = r.ok, .value = kv_value(r)}; }

std::string sql_error(const EffectOutcome& r) {
  return r.error_message.empty() ? r.error_code : r.error_message;
}

SqlResult decode_sql(const EffectOutcome& r) {
  SqlResult out;
  if (!r.ok) {
    out.error = sql_error(r);
    return out;
  }
  out.ok = true;
  if (const Json* rows = find_member(r.value, "rows"); rows && rows->is_array())
    for (const Json& row : *rows) out.rows.push_back(row);
  out.changes = get_int(r.value, "changes").value_or(0);
  return out;
}

std::optional<R2Object> decode_r2_object(const EffectOutcome& r) {
  if (!r.ok) return std::nullopt;
  auto value = get_string(r.value, "value");
  if (!value) return std::nullopt;
  R2Object out;
  out.value = std::move(*value);
  out.content_type = get_string(r.value, "contentType").value_or("");
  return out;
}

std::vector<std::string> decode_r2_keys(const EffectOutcome& r) {
  std::vector<std::string> keys;
  if (!r.ok) return keys;
  if (const Json* ks = find_member(r.value, "keys"); ks && ks->is_array())
    for (const Json& k : *ks)
      if (k.is_string()) keys.push_back(k.get<std::string>());
  return keys;
}

WsOpenResult decode_ws_open(const EffectOutcome& r) {
  if (!r.ok) return failed_with<WsOpenResult>(r);
  WsOpenResult out;
  out.socket = get_string(r.value, "socket").value_or("");
  out.ok = !out.socket.empty();
  if (!out.ok) out.error_code = "binding";
  return out;
}

WsReceiveResult decode_ws_receive(const EffectOutcome& r) {
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
  return out;
}

StartResult start_result(const EffectOutcome& r) {
  StartResult out = failed_with<StartResult>(r);
  out.ok = r.ok;
  return out;
}

std::int64_t delivered_count(const EffectOutcome& r) {
  if (!r.ok) return 0;
  return get_int(r.value, "delivered").value_or(0);
}

template <class Args>
Task<bool> perform_ok(Io& io, Args args) {
  return perform_as<bool>(io, effects::to_effect(std::move(args)), succeeded);
}

}  // namespace

Task<std::optional<Json>> storage_get(Io& io, std::string key) {
  return perform_as<std::optional<Json>>(
      io, effects::to_effect(effects::StorageGet{.key = std::move(key)}), stored_value);
}

Task<bool> storage_put(Io& io, std::string key, Json value) {
  return perform_ok(io, effects::StoragePut{.key = std::move(key), .value = std::move(value)});
}

Task<bool> storage_delete(Io& io, std::string key) {
  return perform_ok(io, effects::StorageDelete{.key = std::move(key)});
}

Task<bool> response_start(Io& io, const http::Response& head, std::string stream_key) {
  effects::ResponseStart args{.status = head.status, .headers = head.headers};
  if (!stream_key.empty()) args.stream_key = std::move(stream_key);
  return perform_ok(io, std::move(args));
}

Task<bool> response_write(Io& io, std::string data) {
  return perform_ok(io, effects::ResponseWrite{.data = std::move(data)});
}

Task<bool> response_send(Io& io, const http::Response& response) {
  return perform_ok(io, effects::ResponseSend{
                            .status = response.status,
                            .headers = response.headers,
                            .body = response.body,
                        });
}

Task<bool> stream_write(Io& io, std::string stream_key, std::string data) {
  return perform_ok(
      io, effects::StreamWrite{.stream_key = std::move(stream_key), .data = std::move(data)});
}

Task<bool> stream_close(Io& io, std::string stream_key) {
  return perform_ok(io, effects::StreamClose{.stream_key = std::move(stream_key)});
}

Task<std::optional<Json>> mailbox_wait(Io& io, std::string key, std::int64_t timeout_ms) {
  return perform_as<std::optional<Json>>(
      io, effects::to_effect(effects::MailboxWait{.key = std::move(key), .timeout_ms = timeout_ms}),
      value_member);
}

Task<bool> mailbox_post(Io& io, std::string key, Json value) {
  return perform_as<bool>(
      io,
      effects::to_effect(effects::MailboxPost{.key = std::move(key), .value = std::move(value)}),
      delivered);
}

Task<void> call_tag(Io& io, std::string tag) {
  return perform_ignoring_outcome(io, effects::to_effect(effects::CallTag{.tag = std::move(tag)}));
}

Task<bool> call_cancel(Io& io, std::string tag) {
  return perform_as<bool>(io, effects::to_effect(effects::CallCancel{.tag = std::move(tag)}),
                          cancelled);
}

Task<void> sleep(Io& io, std::int64_t ms) {
  return perform_ignoring_outcome(io, effects::to_effect(effects::Sleep{.ms = ms}));
}

Task<FetchResult> fetch(Io& io, const http::Request& request, std::int64_t timeout_ms) {
  return fetch_at_most(io, request, timeout_ms, kMaxFetchBodyBytes);
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
  return perform_as<FetchResult>(io, effects::to_effect(std::move(args)), decode_fetch);
}

Task<std::optional<std::string>> kv_get(Io& io, std::string key) {
  return perform_as<std::optional<std::string>>(
      io, effects::to_effect(effects::KvGet{.key = std::move(key)}), kv_value);
}

Task<KvRead> kv_read(Io& io, std::string key) {
  return perform_as<KvRead>(io, effects::to_effect(effects::KvGet{.key = std::move(key)}),
                            decode_kv_read);
}

Task<bool> kv_put(Io& io, std::string key, std::string value, std::int64_t ttl_seconds) {
  // Workers KV rejects expirationTtl below 60 seconds.
  if (ttl_seconds < 60) ttl_seconds = 60;
  return perform_ok(
      io, effects::KvPut{.key = std::move(key), .value = std::move(value), .ttl = ttl_seconds});
}

Task<bool> kv_delete(Io& io, std::string key) {
  return perform_ok(io, effects::KvDelete{.key = std::move(key)});
}

Task<SqlResult> d1_query(Io& io, std::string sql, Json params) {
  return perform_as<SqlResult>(
      io, effects::to_effect(effects::D1Query{.sql = std::move(sql), .params = std::move(params)}),
      decode_sql);
}

Task<std::vector<SqlResult>> d1_batch(Io& io,
                                      std::vector<std::pair<std::string, Json>> statements) {
  effects::D1Batch args;
  for (auto& [sql, params] : statements)
    args.statements.push_back(
        effects::SqlStatement{.sql = std::move(sql), .params = std::move(params)});
  std::size_t n = statements.size();
  Effect effect = effects::to_effect(std::move(args));
  EffectOutcome r = co_await io.perform(std::move(effect));
  std::vector<SqlResult> out;
  if (!r.ok) {
    SqlResult failed;
    failed.error = sql_error(r);
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
  return perform_as<std::optional<R2Object>>(
      io, effects::to_effect(effects::R2Get{.key = std::move(key)}), decode_r2_object);
}

Task<std::vector<std::string>> r2_list(Io& io, std::string prefix) {
  return perform_as<std::vector<std::string>>(
      io, effects::to_effect(effects::R2List{.prefix = std::move(prefix)}), decode_r2_keys);
}

Task<bool> r2_put(Io& io, std::string key, std::string value, std::string content_type) {
  return perform_ok(io, effects::R2Put{.key = std::move(key),
                                       .value = std::move(value),
                                       .content_type = std::move(content_type)});
}

Task<WsOpenResult> ws_open(Io& io, std::string url, std::int64_t timeout_ms) {
  return perform_as<WsOpenResult>(
      io, effects::to_effect(effects::WsOpen{.url = std::move(url), .timeout_ms = timeout_ms}),
      decode_ws_open);
}

Task<bool> ws_send(Io& io, std::string socket, std::string data) {
  return perform_ok(io, effects::WsSend{.socket = std::move(socket), .data = std::move(data)});
}

Task<WsReceiveResult> ws_receive(Io& io, std::string socket, std::int64_t timeout_ms) {
  return perform_as<WsReceiveResult>(
      io,
      effects::to_effect(effects::WsReceive{.socket = std::move(socket), .timeout_ms = timeout_ms}),
      decode_ws_receive);
}

Task<void> ws_close(Io& io, std::string socket) {
  return perform_ignoring_outcome(
      io, effects::to_effect(effects::WsClose{.socket = std::move(socket)}));
}

Task<StartResult> workflow_create(Io& io, std::string binding, std::string id, Json payload) {
  return perform_as<StartResult>(io,
                                 effects::to_effect(effects::WorkflowCreate{
                                     .binding = std::move(binding),
                                     .id = std::move(id),
                                     .params = std::move(payload),
                                 }),
                                 start_result);
}

Task<StartResult> queue_send(Io& io, std::string binding, Json body) {
  return perform_as<StartResult>(io,
                                 effects::to_effect(effects::QueueSend{
                                     .binding = std::move(binding), .body = std::move(body)}),
                                 start_result);
}

Task<FetchResult> object_fetch(Io& io, std::string binding, std::string name,
                               const http::Request& request) {
  return perform_as<FetchResult>(io,
                                 effects::to_effect(effects::ObjectFetch{
                                     .binding = std::move(binding),
                                     .name = std::move(name),
                                     .request = request,
                                 }),
                                 decode_fetch);
}

Task<std::int64_t> hub_broadcast(Io& io, Json channels, std::string data) {
  return perform_as<std::int64_t>(io,
                                  effects::to_effect(effects::HubBroadcast{
                                      .channels = std::move(channels), .data = std::move(data)}),
                                  delivered_count);
}

}  // namespace bmcp::host
