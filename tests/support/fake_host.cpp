#include "support/fake_host.hpp"

#include <cstdlib>

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace bmcp::testing {

struct FakeHost::Active {
  std::string object;  // the Durable Object the call runs in ("" for a Worker call)
  std::unique_ptr<Call> call;
  std::vector<RequestedEffect> waiting;
  std::map<std::uint32_t, std::int64_t> deadlines;  // mailbox.wait timeouts
  bool done = false;
  bool cancelled = false;
  bool critical = false;
  Json fallback;
  std::vector<FakeHost::RegisteredFallback> fallbacks;
  Json result;
  CapturedResponse response;
};

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json column_value(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER: return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT: return sqlite3_column_double(stmt, i);
    case SQLITE_NULL: return nullptr;
    default: return std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)));
  }
}

}  // namespace

FakeHost::FakeHost() {
  sqlite3_open(":memory:", &db_);
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(BMCP_SOURCE_DIR) + "/migrations"))
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    char* err = nullptr;
    if (sqlite3_exec(db_, read_file(f).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error("migration " + f.string() + " failed: " + message);
    }
  }
}

FakeHost::~FakeHost() {
  calls_.clear();
  sqlite3_close(db_);
}

namespace {

void note_step(std::vector<FakeHost::RegisteredFallback>& log, bool& critical, Json& fallback,
               const Step& step, std::size_t effects_so_far) {
  critical = step.state == Step::State::Blocked && step.critical;
  Json next = critical ? step.fallback : Json();
  if (!next.is_null() && (log.empty() || log.back().fallback != next))
    log.push_back({effects_so_far, next});
  fallback = std::move(next);
}

}  // namespace

FakeHost::CallId FakeHost::start(const Call::Body& body, std::string object) {
  CallId id = next_id_++;
  auto active = std::make_unique<Active>();
  active->object = std::move(object);
  active->call = std::make_unique<Call>(crypto, now_ms, body);
  Step step = active->call->start();
  note_step(active->fallbacks, active->critical, active->fallback, step, effect_log.size());
  if (step.state == Step::State::Done) {
    active->done = true;
    active->result = std::move(step.result);
  } else if (step.state == Step::State::Failed) {
    throw std::runtime_error("call failed: " + step.error);
  } else {
    active->waiting = std::move(step.effects);
  }
  calls_.emplace(id, std::move(active));
  return id;
}

void FakeHost::pump() {
  for (int round = 0; round < 100000; ++round) {
    bool progress = false;
    for (auto& [id, active] : calls_) {
      if (active->done || active->cancelled) continue;
      std::vector<DeliveredOutcome> outcomes;
      std::vector<RequestedEffect> still;
      // Copy: performing an effect may cancel or start other calls.
      auto waiting = std::move(active->waiting);
      active->waiting.clear();
      for (auto& e : waiting) {
        auto outcome = perform(*active, e);
        if (outcome) outcomes.push_back({e.id, std::move(*outcome)});
        else still.push_back(std::move(e));
      }
      active->waiting = std::move(still);
      if (active->cancelled || active->done || !active->call)
        continue;  // cancelled or trapped meanwhile
      if (outcomes.empty()) continue;
      progress = true;
      Step step = active->call->resume(now_ms, std::move(outcomes));
      note_step(active->fallbacks, active->critical, active->fallback, step, effect_log.size());
      if (step.state == Step::State::Done) {
        active->done = true;
        active->result = std::move(step.result);
        active->waiting.clear();
      } else if (step.state == Step::State::Failed) {
        throw std::runtime_error("call failed: " + step.error);
      } else {
        for (auto& e : step.effects) active->waiting.push_back(std::move(e));
      }
    }
    // Drop cancelled calls: destroying the Call destroys its frames (as bmcp_cancel does).
    for (auto it = calls_.begin(); it != calls_.end();) {
      if (it->second->cancelled && it->second->call) {
        it->second->call.reset();
        progress = true;
      }
      ++it;
    }
    if (!progress) return;
  }
  throw std::runtime_error("pump did not settle");
}

Json FakeHost::run(const Call::Body& body) {
  CallId id = start(body);
  pump();
  if (!done(id)) throw std::runtime_error("call did not finish");
  return result(id);
}

bool FakeHost::done(CallId id) const { return calls_.at(id)->done; }
const Json& FakeHost::result(CallId id) const { return calls_.at(id)->result; }
const CapturedResponse& FakeHost::response(CallId id) const { return calls_.at(id)->response; }

bool FakeHost::cancel(CallId id) {
  auto& a = *calls_.at(id);
  if (a.done || !a.call) return false;
  if (!a.call->cancellable()) return false;
  a.cancelled = true;
  a.call.reset();
  a.waiting.clear();
  return true;
}

bool FakeHost::critical(CallId id) const { return calls_.at(id)->critical; }
const Json& FakeHost::fallback(CallId id) const { return calls_.at(id)->fallback; }
const std::vector<FakeHost::RegisteredFallback>& FakeHost::fallbacks(CallId id) const {
  return calls_.at(id)->fallbacks;
}

void FakeHost::trap(CallId id) {
  auto& a = *calls_.at(id);
  if (a.done || !a.call) return;
  Json fallback = a.critical ? a.fallback : Json();
  a.call.reset();
  a.waiting.clear();
  if (fallback.is_null()) {
    a.cancelled = true;  // lost: no answer of its own
    return;
  }
  for (const Json& e : fallback.value("effects", Json::array())) {
    if (e.value("kind", "") == "response.write") a.response.body += e["args"].value("data", "");
    if (e.value("kind", "") == "stream.write")
      streams[e["args"].value("streamKey", "")] += e["args"].value("data", "");
  }
  a.done = true;
  a.result = fallback["result"];
}

std::size_t FakeHost::live_calls() const {
  std::size_t n = 0;
  for (const auto& [id, a] : calls_)
    if (a->call && !a->done) ++n;
  return n;
}

std::vector<std::string> FakeHost::waiting_kinds(CallId id) const {
  std::vector<std::string> kinds;
  for (const auto& e : calls_.at(id)->waiting) kinds.push_back(e.effect.kind);
  return kinds;
}

std::optional<std::string> FakeHost::kv_value(const std::string& key) const {
  auto it = kv_.find(key);
  if (it == kv_.end() || it->second.expires_at_ms <= now_ms) return std::nullopt;
  return it->second.value;
}

void FakeHost::kv_set(const std::string& key, std::string value, std::int64_t ttl_seconds) {
  kv_[key] = {std::move(value), now_ms + ttl_seconds * 1000};
}

std::vector<Json> FakeHost::sql(const std::string& statement, const Json& params) {
  auto outcome = d1_query({{"sql", statement}, {"params", params}});
  if (!outcome.ok) throw std::runtime_error("sql failed: " + outcome.error_message);
  std::vector<Json> rows;
  for (const auto& r : outcome.value["rows"]) rows.push_back(r);
  return rows;
}

EffectOutcome FakeHost::d1_query(const Json& args) {
  std::string sql = get_string(args, "sql").value_or("");
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, &tail) != SQLITE_OK)
    return EffectOutcome::failure("d1", std::string("D1_ERROR: ") + sqlite3_errmsg(db_));
  if (tail && std::string(tail).find_first_not_of(" \n\t;") != std::string::npos) {
    sqlite3_finalize(stmt);
    return EffectOutcome::failure("d1", "D1_ERROR: one statement per query");
  }
  int i = 1;
  if (const Json* params = find_member(args, "params"); params && params->is_array()) {
    for (const Json& p : *params) {
      if (p.is_null()) sqlite3_bind_null(stmt, i);
      else if (p.is_boolean()) sqlite3_bind_int64(stmt, i, p.get<bool>() ? 1 : 0);
      else if (p.is_number_integer() || p.is_number_unsigned())
        sqlite3_bind_int64(stmt, i, p.get<std::int64_t>());
      else if (p.is_number_float()) sqlite3_bind_double(stmt, i, p.get<double>());
      else if (p.is_string())
        sqlite3_bind_text(stmt, i, p.get_ref<const std::string&>().c_str(), -1, SQLITE_TRANSIENT);
      else sqlite3_bind_text(stmt, i, p.dump().c_str(), -1, SQLITE_TRANSIENT);
      ++i;
    }
  }
  Json rows = Json::array();
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    Json row = Json::object();
    for (int c = 0; c < sqlite3_column_count(stmt); ++c)
      row[sqlite3_column_name(stmt, c)] = column_value(stmt, c);
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE)
    return EffectOutcome::failure("d1", std::string("D1_ERROR: ") + sqlite3_errmsg(db_));
  return EffectOutcome::success({{"rows", rows}, {"changes", sqlite3_changes(db_)}});
}

EffectOutcome FakeHost::d1_batch(const Json& args) {
  // D1 batches run as one transaction: all statements or none.
  sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr);
  Json results = Json::array();
  if (const Json* list = find_member(args, "statements"); list && list->is_array()) {
    for (const Json& s : *list) {
      auto r = d1_query(s);
      if (!r.ok) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return r;
      }
      results.push_back(r.value);
    }
  }
  sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  return EffectOutcome::success({{"results", results}});
}

std::optional<EffectOutcome> FakeHost::perform(Active& call, const RequestedEffect& e) {
  const std::string& kind = e.effect.kind;
  const Json& a = e.effect.args;
  effect_log.push_back(e.effect);
  auto ok = [](Json v = Json::object()) { return EffectOutcome::success(std::move(v)); };
  auto key = get_string(a, "key").value_or("");

  if (kind.rfind("storage.", 0) == 0) {
    if (call.object.empty())
      return EffectOutcome::failure("binding", "storage effects need a Durable Object");
    auto& store = objects[call.object];
    if (kind == "storage.get") {
      auto it = store.find(key);
      return ok({{"value", it == store.end() ? Json(nullptr) : it->second}});
    }
    if (kind == "storage.put") {
      store[key] = a.value("value", Json());
      return ok();
    }
    if (kind == "storage.delete") {
      store.erase(key);
      return ok();
    }
  }

  if (kind == "kv.get") {
    if (fail_kv_get && fail_kv_get(key)) return EffectOutcome::failure("binding", "KV GET failed");
    auto v = kv_value(key);
    return ok({{"value", v ? Json(*v) : Json(nullptr)}});
  }
  if (kind == "kv.put") {
    std::int64_t ttl = get_int(a, "ttl").value_or(0);
    if (ttl != 0 && ttl < 60)  // Workers KV: expirationTtl must be at least 60 seconds
      return EffectOutcome::failure("binding", "KV PUT failed: 400 Invalid expiration_ttl");
    kv_[key] = {get_string(a, "value").value_or(""), ttl ? now_ms + ttl * 1000 : INT64_MAX};
    return ok();
  }
  if (kind == "kv.delete") {
    kv_.erase(key);
    return ok();
  }

  if (kind == "r2.get") {
    auto it = r2.find(key);
    if (it == r2.end()) return ok({{"value", nullptr}, {"contentType", nullptr}});
    return ok({{"value", it->second.first}, {"contentType", it->second.second}});
  }
  if (kind == "r2.list") {
    std::string prefix = get_string(a, "prefix").value_or("");
    Json keys = Json::array();
    for (const auto& [k, v] : r2)
      if (k.compare(0, prefix.size(), prefix) == 0) keys.push_back(k);
    return ok({{"keys", std::move(keys)}});
  }
  if (kind == "r2.put") {
    r2[key] = {get_string(a, "value").value_or(""), get_string(a, "contentType").value_or("")};
    return ok();
  }

  if (kind == "d1.query") {
    if (fail_d1 && fail_d1(get_string(a, "sql").value_or("")))
      return EffectOutcome::failure("d1", "D1_ERROR: injected storage failure");
    return d1_query(a);
  }
  if (kind == "d1.batch") return d1_batch(a);

  if (kind == "http.fetch") {
    http_log.push_back(a);
    if (!http)
      return EffectOutcome::failure("network", "no route to host (test has no http handler)");
    // As the shim: the core names the most it will read, and a larger body is refused.
    auto max_bytes = get_int(a, "maxBytes");
    if (!max_bytes || *max_bytes < 0)
      return EffectOutcome::failure("binding", "http.fetch needs maxBytes");
    Json r = http(a);
    if (const Json* err = find_member(r, "error"))
      return EffectOutcome::failure(get_string(*err, "code").value_or("network"),
                                    get_string(*err, "message").value_or(""));
    if (get_string(r, "body").value_or("").size() > static_cast<std::size_t>(*max_bytes))
      return EffectOutcome::failure(
          "too_large", "the response body is larger than " + std::to_string(*max_bytes) + " bytes");
    return ok(r);
  }

  if (kind == "response.start" || kind == "response.send") {
    if (call.response.started)
      return EffectOutcome::failure("state", "the response was already sent");
    call.response.started = true;
    call.response.status = static_cast<int>(get_int(a, "status").value_or(200));
    if (const Json* hs = find_member(a, "headers"); hs && hs->is_array())
      for (const Json& h : *hs)
        call.response.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
    if (kind == "response.send") {
      call.response.body = get_string(a, "body").value_or("");
      call.response.closed = true;
    }
    if (kind == "response.start") {
      if (auto sk = get_string(a, "streamKey")) streams[*sk] = "";
    }
    return ok();
  }
  if (kind == "response.write") {
    if (!call.response.started || call.response.closed)
      return EffectOutcome::failure("state", "no response stream is open");
    call.response.body += get_string(a, "data").value_or("");
    return ok();
  }
  if (kind == "stream.write") {
    auto sk = get_string(a, "streamKey").value_or("");
    auto it = streams.find(sk);
    if (it == streams.end()) return EffectOutcome::failure("closed", "no open stream");
    it->second += get_string(a, "data").value_or("");
    return ok();
  }
  if (kind == "stream.close") {
    streams.erase(get_string(a, "streamKey").value_or(""));
    return ok();
  }

  if (kind == "mailbox.post") {
    // Deliver to a waiting call, if any; otherwise keep it for a later wait.
    for (auto& [id, other] : calls_) {
      for (auto& w : other->waiting) {
        if (w.effect.kind == "mailbox.wait" &&
            get_string(w.effect.args, "key").value_or("") == key && !other->done) {
          mailbox_early_[key] = a.value("value", Json());
          return ok({{"delivered", true}});
        }
      }
    }
    mailbox_early_[key] = a.value("value", Json());
    return ok({{"delivered", false}});
  }
  if (kind == "mailbox.wait") {
    auto it = mailbox_early_.find(key);
    if (it != mailbox_early_.end()) {
      Json v = std::move(it->second);
      mailbox_early_.erase(it);
      return ok({{"value", v}});
    }
    auto [d, inserted] =
        call.deadlines.emplace(e.id, now_ms + get_int(a, "timeoutMs").value_or(60000));
    if (now_ms >= d->second) return EffectOutcome::failure("timeout", "no message");
    return std::nullopt;
  }
  if (kind == "call.tag") {
    for (auto& [id, other] : calls_)
      if (other.get() == &call) tags_[get_string(a, "tag").value_or("")] = id;
    return ok();
  }
  if (kind == "call.cancel") {
    auto it = tags_.find(get_string(a, "tag").value_or(""));
    if (it == tags_.end()) return ok({{"cancelled", false}});
    auto target = calls_.find(it->second);
    tags_.erase(it);
    if (target == calls_.end() || target->second.get() == &call || target->second->done)
      return ok({{"cancelled", false}});
    if (!target->second->call || !target->second->call->cancellable()) {
      tags_[get_string(a, "tag").value_or("")] = target->first;  // refused: it keeps its tag
      return ok({{"cancelled", false}});
    }
    target->second->cancelled = true;
    target->second->waiting.clear();
    return ok({{"cancelled", true}});
  }
  if (kind == "ws.open") {
    const std::string url = get_string(a, "url").value_or("");
    std::shared_ptr<ScriptedSocket> sock = ws_connect ? ws_connect(url) : nullptr;
    if (!sock)
      return EffectOutcome::failure("refused", "the server did not accept the WebSocket upgrade");
    sock->url = url;
    sockets.push_back(sock);
    return ok({{"socket", "ws" + std::to_string(sockets.size())}});
  }
  if (kind == "ws.send" || kind == "ws.receive" || kind == "ws.close") {
    const std::string id = get_string(a, "socket").value_or("");
    std::size_t n = 0;
    if (id.size() > 2 && id.compare(0, 2, "ws") == 0) n = std::strtoul(id.c_str() + 2, nullptr, 10);
    if (n == 0 || n > sockets.size()) return EffectOutcome::failure("closed", "no such socket");
    ScriptedSocket& sock = *sockets[n - 1];
    if (kind == "ws.close") {
      sock.closed = true;
      return ok();
    }
    if (kind == "ws.send") {
      if (sock.closed) return EffectOutcome::failure("closed", "the socket is closed");
      const std::string data = get_string(a, "data").value_or("");
      sock.sent.push_back(data);
      if (sock.on_send)
        for (std::string& answer : sock.on_send(data)) sock.inbox.push_back(std::move(answer));
      return ok();
    }
    if (kind == "ws.receive") {
      if (!sock.inbox.empty()) {
        std::string data = std::move(sock.inbox.front());
        sock.inbox.pop_front();
        return ok({{"data", std::move(data)}});
      }
      if (sock.closed) return EffectOutcome::failure("closed", "the socket is closed");
      now_ms += get_int(a, "timeoutMs").value_or(0);
      return EffectOutcome::failure("timeout", "no message within the timeout");
    }
  }
  if (kind == "sleep") {
    now_ms += get_int(a, "ms").value_or(0);
    return ok();
  }
  if (kind == "workflow.create") {
    if (!workflows_bound) return EffectOutcome::failure("unbound", "binding is not configured");
    workflows_started.push_back(a);
    return ok({{"id", get_string(a, "id").value_or("")}});
  }
  if (kind == "queue.send") {
    if (!queue_bound) return EffectOutcome::failure("unbound", "binding is not configured");
    queue_sent.push_back(a);
    return ok();
  }
  if (kind == "object.fetch") {
    if (!object_fetch) return EffectOutcome::failure("unbound", "binding is not configured");
    Json answer = object_fetch(a);
    if (const Json* err = find_member(answer, "error"))
      return EffectOutcome::failure(get_string(*err, "code").value_or("binding"),
                                    "object fetch failed");
    return ok(std::move(answer));
  }
  if (kind == "hub.broadcast") {
    if (call.object.empty())
      return EffectOutcome::failure("binding", "hub.broadcast needs a Durable Object");
    const Json* wanted = find_member(a, "channels");
    std::int64_t delivered = 0;
    for (HubSocket& socket : hub_sockets[call.object]) {
      const Json* channels = find_member(socket.attachment, "channels");
      bool match = false;
      if (channels && channels->is_array() && wanted && wanted->is_array())
        for (const Json& c : *channels)
          if (std::find(wanted->begin(), wanted->end(), c) != wanted->end()) match = true;
      if (!match) continue;
      socket.received.push_back(get_string(a, "data").value_or(""));
      ++delivered;
    }
    return ok({{"delivered", delivered}});
  }
  return EffectOutcome::failure("unknown_effect", "the fake host does not know effect " + kind);
}

}  // namespace bmcp::testing
