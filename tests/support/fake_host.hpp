// FakeHost: the platform, simulated, for native tests of the sans-I/O core. It plays
// every effect of bindings/ABI.md with the real platform's rules where they matter —
// KV's 60-second minimum TTL and expiry, D1 as a real SQLite database with the project's
// migrations applied, Durable Object storage, keyed streams, the mailbox, cancellation —
// under a clock the test controls. Several calls can be in flight at once; `pump()`
// performs whatever can make progress, in order, like the shim's event loop.
#pragma once

#include "effects/call.hpp"
#include "support/openssl_crypto.hpp"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace bmcp::testing {

struct CapturedResponse {
  bool started = false;  // response.start or response.send happened
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool closed = false;
};

class FakeHost {
 public:
  FakeHost();
  ~FakeHost();
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  // ---- calls -------------------------------------------------------------------------
  using CallId = int;
  // `object` names the Durable Object the call runs in ("" for a Worker call): storage,
  // keyed streams, the mailbox and tags are per object, as on the platform.
  CallId start(const Call::Body& body, std::string object = "");
  // Performs every effect that can complete now, repeatedly, until nothing moves.
  void pump();
  // start + pump; returns the result (the call must finish).
  Json run(const Call::Body& body);
  bool done(CallId id) const;
  const Json& result(CallId id) const;
  const CapturedResponse& response(CallId id) const;
  // Cancels a call as bmcp_cancel does: false (and nothing happens) while it is inside a
  // critical section.
  bool cancel(CallId id);
  // The call's state from its latest Step: inside a critical section, and the fallback.
  bool critical(CallId id) const;
  const Json& fallback(CallId id) const;
  // Every fallback the call registered, with the number of effects performed before it
  // (so a test can see it was registered before a given effect).
  struct RegisteredFallback {
    std::size_t effects_before;
    Json fallback;
  };
  const std::vector<RegisteredFallback>& fallbacks(CallId id) const;
  // Simulates a trap in the call: its frames are destroyed where they stand (the instance
  // is lost) and, as the shim does, it ends with its fallback's result when it was inside
  // a critical section that has one; with no result otherwise.
  void trap(CallId id);
  std::size_t live_calls() const;
  // Effects a call is waiting for, by kind (for assertions on parallelism).
  std::vector<std::string> waiting_kinds(CallId id) const;

  // ---- the simulated world -----------------------------------------------------------
  std::int64_t now_ms = 1'700'000'000'000;
  void advance(std::int64_t ms) { now_ms += ms; }
  OpenSslCrypto crypto;
  std::map<std::string, std::map<std::string, Json>> objects;  // Durable Object storage by name
  std::map<std::string, Json>& storage(const std::string& object) { return objects[object]; }
  std::map<std::string, std::string> streams;     // keyed streams: everything written
  std::function<Json(const Json& request)> http;  // answers http.fetch; a Json with
                                                  // "error" fails the effect
  std::vector<Json> http_log;                     // every http.fetch request seen
  std::vector<Effect> effect_log;                 // every effect performed
  std::map<std::string, std::pair<std::string, std::string>> r2;  // R2: key -> (body, content type)
  // Fault injection: a d1.query whose SQL this answers true for fails (`d1`) without running.
  std::function<bool(const std::string& sql)> fail_d1;
  // A kv.get of a key this answers true for fails (`binding`), as when KV is unreachable.
  std::function<bool(const std::string& key)> fail_kv_get;
  sqlite3* db() { return db_; }
  // Runs SQL directly (test setup / assertions); rows as JSON objects.
  std::vector<Json> sql(const std::string& statement, const Json& params = Json::array());
  std::optional<std::string> kv_value(const std::string& key) const;
  void kv_set(const std::string& key, std::string value, std::int64_t ttl_seconds);

  // ---- outbound WebSockets (ws.open / ws.send / ws.receive / ws.close) ---------------
  // A scripted server end: every frame the core sends is recorded and handed to
  // `on_send`, whose answers are queued for ws.receive. A receive on an empty queue
  // times out at once (the clock moves by its timeout), or reports `closed`.
  struct ScriptedSocket {
    std::string url;
    std::vector<std::string> sent;
    std::deque<std::string> inbox;
    bool closed = false;  // by ws.close, or set by the test (the server hung up)
    std::function<std::vector<std::string>(const std::string& frame)> on_send;
  };
  // Answers ws.open: the socket for the URL, or nullptr to refuse the upgrade.
  std::function<std::shared_ptr<ScriptedSocket>(const std::string& url)> ws_connect;
  std::vector<std::shared_ptr<ScriptedSocket>> sockets;  // every socket opened, in order

  // ---- durable work: Workflows, Queues, other Durable Objects, the hub's sockets ---------
  bool workflows_bound = false;         // workflow.create fails `unbound` when false
  std::vector<Json> workflows_started;  // {binding, id, params} of each instance
  bool queue_bound = true;              // queue.send fails `unbound` when false
  std::vector<Json> queue_sent;         // {binding, body} of each message
  // Answers object.fetch ({binding, name, request}) with {status, body}; unset → `unbound`.
  std::function<Json(const Json& args)> object_fetch;
  // The hibernatable sockets of each Durable Object: attachment and frames received.
  struct HubSocket {
    Json attachment = Json::object();
    std::vector<std::string> received;
  };
  std::map<std::string, std::vector<HubSocket>> hub_sockets;

 private:
  struct Active;
  struct KvEntry {
    std::string value;
    std::int64_t expires_at_ms;
  };
  std::optional<EffectOutcome> perform(Active& call, const RequestedEffect& e);
  EffectOutcome d1_query(const Json& args);
  EffectOutcome d1_batch(const Json& args);

  std::map<CallId, std::unique_ptr<Active>> calls_;
  CallId next_id_ = 1;
  std::map<std::string, KvEntry> kv_;
  std::map<std::string, Json> mailbox_early_;
  std::map<std::string, CallId> tags_;
  sqlite3* db_ = nullptr;
};

}  // namespace bmcp::testing
