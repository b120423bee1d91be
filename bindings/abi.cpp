// The exported C ABI of core.wasm (bindings/ABI.md). All state of the instance lives in
// one Runtime reached through a function-local static: nothing runs at global scope, and
// src/ stays free of globals. Every export answers with a buffer the host must free:
// 4 bytes little-endian length, then that many bytes of UTF-8 JSON; the Steps of
// bmcp_start and bmcp_resume then a second length and the body of a finished call's
// response (bindings/ABI.md "Steps").
#include "app/app.hpp"
#include "effects/step_codec.hpp"
#include "entry.hpp"
#include "host_crypto.hpp"
#include "host_log_sink.hpp"

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

namespace {

using bmcp::Call;
using bmcp::Json;

// A call keeps the App it started with alive: reconfiguring the instance must never
// pull the configuration out from under a suspended call.
struct LiveCall {
  std::shared_ptr<const bmcp::app::App> app;  // declared first: destroyed after the call
  std::unique_ptr<Call> call;
};

struct Runtime {
  bmcp::bindings::HostCrypto crypto;
  std::shared_ptr<const bmcp::app::App> app;
  std::vector<std::string> config_errors = {"the module was not configured"};
  std::map<std::uint32_t, LiveCall> calls;
  std::uint32_t next_call = 1;
};

Runtime& runtime() {
  static Runtime r;
  return r;
}

std::uint8_t* out_buffer(const std::string& text) {
  auto* p = static_cast<std::uint8_t*>(std::malloc(4 + text.size()));
  if (!p) return nullptr;
  std::uint32_t n = static_cast<std::uint32_t>(text.size());
  std::memcpy(p, &n, 4);  // wasm is little-endian
  std::memcpy(p + 4, text.data(), text.size());
  return p;
}

// A Step: its JSON, then the response body that travels beside it (empty for most).
std::uint8_t* step_buffer(const bmcp::EncodedStep& encoded) {
  const std::string& json = encoded.json;
  const std::string& body = encoded.body;
  auto* p = static_cast<std::uint8_t*>(std::malloc(8 + json.size() + body.size()));
  if (!p) return nullptr;
  std::uint32_t n = static_cast<std::uint32_t>(json.size());
  std::memcpy(p, &n, 4);  // wasm is little-endian
  std::memcpy(p + 4, json.data(), json.size());
  n = static_cast<std::uint32_t>(body.size());
  std::memcpy(p + 4 + json.size(), &n, 4);
  std::memcpy(p + 8 + json.size(), body.data(), body.size());
  return p;
}

std::uint8_t* finish(std::uint32_t id, bmcp::Step step) {
  Runtime& rt = runtime();
  const bool ended = step.state != bmcp::Step::State::Blocked;
  std::uint8_t* out = step_buffer(bmcp::encode_step(id, std::move(step)));
  if (ended) rt.calls.erase(id);
  return out;
}

std::uint8_t* wire_error(std::uint32_t id, std::string_view message) {
  return step_buffer({bmcp::encode_wire_error(id, message), {}});
}

}  // namespace

extern "C" {

__attribute__((used)) std::uint32_t bmcp_abi_version() { return bmcp::kWireVersion; }

__attribute__((used)) void* bmcp_alloc(std::uint32_t size) { return std::malloc(size ? size : 1); }

__attribute__((used)) void bmcp_free(void* p) { std::free(p); }

// Configures the instance with the deployment's vars and secrets (a JSON object).
// Answers {"ok":true} or {"ok":false,"errors":[…]}.
__attribute__((used)) std::uint8_t* bmcp_configure(const char* data, std::uint32_t len) {
  Runtime& rt = runtime();
  auto env = bmcp::parse_json(std::string_view(data, len));
  if (!env) return out_buffer(R"({"ok":false,"errors":["configuration is not valid JSON"]})");
  auto created =
      bmcp::app::App::create(*env, bmcp::bindings::build_catalogs, bmcp::bindings::build_flavor(),
                             &bmcp::bindings::host_log_sink());
  if (auto* errors = std::get_if<std::vector<std::string>>(&created)) {
    rt.app.reset();
    rt.config_errors = *errors;
    return out_buffer(bmcp::dump_json({{"ok", false}, {"errors", *errors}}));
  }
  rt.app = std::shared_ptr<const bmcp::app::App>(
      std::move(std::get<std::unique_ptr<bmcp::app::App>>(created)));
  rt.config_errors.clear();
  return out_buffer(R"({"ok":true})");
}

// `data` holds the start envelope's JSON (`len` bytes), then the event's request in its
// compact form (`request_len` bytes; 0 when it has none or it is in the JSON).
__attribute__((used)) std::uint8_t* bmcp_start(const char* data, std::uint32_t len,
                                               std::uint32_t request_len) {
  Runtime& rt = runtime();
  std::uint32_t id = rt.next_call++;
  auto decoded =
      bmcp::decode_start(std::string_view(data, len), std::string_view(data + len, request_len));
  if (auto* err = std::get_if<bmcp::WireError>(&decoded)) return wire_error(id, err->message);
  auto& envelope = std::get<bmcp::StartEnvelope>(decoded);
  if (!rt.app) {
    bmcp::Step step;
    step.state = bmcp::Step::State::Done;
    Json body = {{"error", "server_misconfigured"}, {"problems", rt.config_errors}};
    step.result = {{"kind", "response"},
                   {"status", 500},
                   {"headers", Json::array({Json::array({"Content-Type", "application/json"})})},
                   {"body", bmcp::dump_json(body)}};
    return step_buffer(bmcp::encode_step(id, std::move(step)));
  }
  const bmcp::app::App* app = rt.app.get();
  Json event = std::move(envelope.event);
  std::optional<bmcp::http::Request> request = std::move(envelope.request);
  auto call =
      std::make_unique<Call>(rt.crypto, envelope.now_ms, [app, &event, &request](bmcp::Io& io) {
        return app->handle(io, std::move(event), std::move(request));
      });
  Call* raw = call.get();
  rt.calls.emplace(id, LiveCall{rt.app, std::move(call)});
  return finish(id, raw->start());
}

__attribute__((used)) std::uint8_t* bmcp_resume(std::uint32_t id, const char* data,
                                                std::uint32_t len) {
  Runtime& rt = runtime();
  auto it = rt.calls.find(id);
  if (it == rt.calls.end()) return wire_error(id, "unknown call");
  auto decoded = bmcp::decode_resume(std::string_view(data, len));
  if (auto* err = std::get_if<bmcp::WireError>(&decoded)) {
    rt.calls.erase(it);
    return wire_error(id, err->message);
  }
  auto& envelope = std::get<bmcp::ResumeEnvelope>(decoded);
  return finish(id, it->second.call->resume(envelope.now_ms, std::move(envelope.outcomes)));
}

// Destroys a call and every coroutine frame it holds; its pending effects are forgotten.
// Answers 1 when the call was destroyed, 0 when there is no such call or it is inside a
// critical section (src/effects/critical_section.hpp): then it goes on to its end.
__attribute__((used)) std::uint32_t bmcp_cancel(std::uint32_t id) {
  Runtime& rt = runtime();
  auto it = rt.calls.find(id);
  if (it == rt.calls.end() || !it->second.call->cancellable()) return 0;
  rt.calls.erase(it);
  return 1;
}

__attribute__((used)) std::uint32_t bmcp_live_calls() {
  return static_cast<std::uint32_t>(runtime().calls.size());
}

}  // extern "C"
