// Typed helpers over the effect catalogue of bindings/ABI.md, so callers write
// `co_await host::kv_get(io, key)` instead of assembling effect JSON by hand. Each helper
// fills in one kind's argument struct (effects/effect_args.hpp, where the kinds and their
// arguments are defined once) and decodes its outcome.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "http/http_message.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bmcp::host {

// ---- this Durable Object's storage (strongly consistent) -------------------------
Task<std::optional<Json>> storage_get(Io& io, std::string key);
Task<bool> storage_put(Io& io, std::string key, Json value);
Task<bool> storage_delete(Io& io, std::string key);

// ---- streaming this call's HTTP response -----------------------------------------
// Sends the status and headers now; the body follows with response_write. With a
// `stream_key`, the stream stays registered in this Durable Object under that key after
// the call ends, so other calls can write to it (stream_write).
Task<bool> response_start(Io& io, const http::Response& head, std::string stream_key = {});
Task<bool> response_write(Io& io, std::string data);
// Sends a complete response now; the call goes on in the background.
Task<bool> response_send(Io& io, const http::Response& response);
Task<bool> stream_write(Io& io, std::string stream_key, std::string data);
Task<bool> stream_close(Io& io, std::string stream_key);

// ---- rendezvous between calls of one Durable Object ------------------------------
Task<std::optional<Json>> mailbox_wait(Io& io, std::string key, std::int64_t timeout_ms);
Task<bool> mailbox_post(Io& io, std::string key, Json value);

// ---- cancellation ------------------------------------------------------------------
Task<void> call_tag(Io& io, std::string tag);
Task<bool> call_cancel(Io& io, std::string tag);

// ---- time ----------------------------------------------------------------------------
Task<void> sleep(Io& io, std::int64_t ms);

// ---- outbound HTTP -------------------------------------------------------------------
struct FetchResult {
  bool ok = false;         // false: no HTTP response at all (network, timeout)
  std::string error_code;  // "network" | "timeout" when !ok
  std::string error_message;
  http::Response response;
};
Task<FetchResult> fetch(Io& io, const http::Request& request, std::int64_t timeout_ms = 15000);

// ---- KV (cache only; eventually consistent, minimum TTL 60 s) ---------------------
// nullopt when the key holds nothing or KV could not be read.
Task<std::optional<std::string>> kv_get(Io& io, std::string key);
// The same read, telling the two apart: for a caller that remembers what it learned, since
// a missing key is an answer and a failed read is not.
struct KvRead {
  bool ok = false;  // KV answered (the key may still hold nothing)
  std::optional<std::string> value;
};
Task<KvRead> kv_read(Io& io, std::string key);
Task<bool> kv_put(Io& io, std::string key, std::string value, std::int64_t ttl_seconds);
Task<bool> kv_delete(Io& io, std::string key);

// ---- D1 (system of record) -----------------------------------------------------------
struct SqlResult {
  bool ok = false;
  std::string error;
  std::vector<Json> rows;  // objects keyed by column name
  std::int64_t changes = 0;
};
Task<SqlResult> d1_query(Io& io, std::string sql, Json params = Json::array());
// Runs statements in one transaction (all or nothing).
Task<std::vector<SqlResult>> d1_batch(Io& io, std::vector<std::pair<std::string, Json>> statements);

// ---- R2 (objects: the knowledge documents) ---------------------------------------------
struct R2Object {
  std::string value;
  std::string content_type;
};
// nullopt when the object does not exist or the bucket could not be read.
Task<std::optional<R2Object>> r2_get(Io& io, std::string key);
// Keys under `prefix` (at most 1000), in key order; empty on failure.
Task<std::vector<std::string>> r2_list(Io& io, std::string prefix);
Task<bool> r2_put(Io& io, std::string key, std::string value, std::string content_type);

// ---- outbound WebSocket (a client connection; text frames) ----------------------------
// The socket lives as long as the call that opened it (the host closes what is left
// open when the call ends). ws:// and wss:// URLs.
struct WsOpenResult {
  bool ok = false;
  std::string socket;      // the host's handle, when ok
  std::string error_code;  // "refused" (no upgrade), "network", "timeout"
  std::string error_message;
};
Task<WsOpenResult> ws_open(Io& io, std::string url, std::int64_t timeout_ms = 10000);
Task<bool> ws_send(Io& io, std::string socket, std::string data);
struct WsReceiveResult {
  enum class Status { kMessage, kTimeout, kClosed, kError };
  Status status = Status::kError;
  std::string data;  // the frame, for kMessage
  std::string error_message;
};
// The next frame received (frames are queued by the host as they arrive).
Task<WsReceiveResult> ws_receive(Io& io, std::string socket, std::int64_t timeout_ms);
Task<void> ws_close(Io& io, std::string socket);

// ---- platform bindings for durable work (Workflows, Queues, other Durable Objects) ----
// Starts an instance of the Workflow bound as `binding` with this id and payload. False
// when the deployment has no such binding or the engine refused (the error says which).
struct StartResult {
  bool ok = false;
  std::string error_code;  // "unbound" when the binding is not configured
  std::string error_message;
};
Task<StartResult> workflow_create(Io& io, std::string binding, std::string id, Json payload);
// Sends one message (JSON) to the Queue bound as `binding`.
Task<StartResult> queue_send(Io& io, std::string binding, Json body);
// A request to Durable Object `binding`/`name` (the host adds X-Object-Name), answered
// like http.fetch.
Task<FetchResult> object_fetch(Io& io, std::string binding, std::string name,
                               const http::Request& request);
// Sends `data` on every hibernatable WebSocket of the current Durable Object subscribed
// to one of `channels`; answers how many sockets it was sent to.
Task<std::int64_t> hub_broadcast(Io& io, Json channels, std::string data);

}  // namespace bmcp::host
