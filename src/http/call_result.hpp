// What a call hands back to the host when it ends (bindings/ABI.md "Results"):
//   respond   — a complete HTTP response
//   forward   — "send this request to Durable Object <binding>/<name> and return its
//               response as mine" (the response streams through untouched)
//   streamed  — the response was started with response.start and is now complete;
//               keep_open leaves a keyed stream registered for other calls
//   detached  — the response was already sent with response.send
//   websocket.accept — (a Durable Object's fetch) accept the WebSocket upgrade with
//               hibernation, storing `attachment` with the socket
//   websocket.reply  — (a hibernatable socket's message) send these frames back and,
//               when given, replace the socket's attachment
// and, for a critical section (effects/critical_section.hpp), the fallback the host answers
// if the call fails inside it: last effects to perform (response.write, stream.write),
// then one of the results above.
#pragma once

#include "http/http_message.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bmcp::http {

inline Json respond(const Response& r) {
  Json j = r.to_json();
  j["kind"] = "response";
  return j;
}

inline Json forward_to_object(std::string binding, std::string name, const Request& request) {
  return {{"kind", "forward"},
          {"binding", std::move(binding)},
          {"name", std::move(name)},
          {"request", request_to_json(request)}};
}

inline Json streamed(bool keep_open = false) {
  return {{"kind", "streamed"}, {"keepOpen", keep_open}};
}

inline Json detached() { return {{"kind", "detached"}}; }

// A critical section's fallback: perform `effects` ({kind, args}) in order, then answer `result`.
inline Json fallback(Json result, Json effects = Json::array()) {
  return {{"effects", std::move(effects)}, {"result", std::move(result)}};
}

inline Json accept_websocket(Json attachment) {
  return {{"kind", "websocket.accept"}, {"attachment", std::move(attachment)}};
}

inline Json websocket_reply(std::vector<std::string> frames,
                            std::optional<Json> attachment = std::nullopt) {
  Json j = {{"kind", "websocket.reply"}, {"send", std::move(frames)}};
  if (attachment) j["attachment"] = std::move(*attachment);
  return j;
}

}  // namespace bmcp::http
