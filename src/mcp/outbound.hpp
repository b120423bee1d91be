// Outbound: how a request handler talks to the client while the request is open —
// notifications (progress, log messages) and server-to-client requests (elicitation,
// sampling, roots). Implemented by the transport: on Streamable HTTP the first message
// turns the POST's answer into an SSE stream; on the legacy transport messages travel
// on the session's GET stream. A transport that cannot stream says so (`can_stream`),
// and handlers degrade: progress is skipped, elicitation reports "unsupported". A
// 2026-07-28 request cannot stream either, but it can still ask (`can_ask`): its questions
// travel back in an input_required result and the answers come with the retry
// (input_round_trip.hpp), so a question without an answer yet is deferred, not lost.
#pragma once

#include "base/json.hpp"
#include "effects/task.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace bmcp::mcp {

// How a server-to-client request is asked when it travels in a 2026-07-28 input_required
// round (input_round_trip.hpp); on a session it is an ordinary request and this is unused.
struct Question {
  // Its key in inputRequests / inputResponses; empty: numbered ("input-1", …).
  std::string key;
  // Its answer may come in the request's first inputResponses, without a requestState this
  // server sealed (SEP-2322's ephemeral flow). Only for a question whose answer authorizes
  // nothing: an order's confirmation is never one, so a client cannot answer it unasked.
  bool ephemeral = false;
};

class Outbound {
 public:
  virtual ~Outbound() = default;
  virtual bool can_stream() const = 0;
  // Can carry a server-to-client request (elicitation, sampling) and bring its answer.
  virtual bool can_ask() const { return can_stream(); }
  // True when a request that got no answer was deferred to the client's next round
  // rather than dropped (the handler must then do nothing it cannot do again).
  virtual bool defers_requests() const { return false; }
  // Sends one JSON-RPC message (notification or request). False if it could not be sent.
  virtual Task<bool> send(Json message) = 0;
  // Waits for the client's response to the server request `id`; nullopt on timeout or
  // when the session ended.
  virtual Task<std::optional<Json>> await_reply(const Json& id, std::int64_t timeout_ms) = 0;
  // A fresh id for a server-to-client request, unique within the session.
  virtual Json next_request_id() = 0;
  // The id of the request asking `question`: a fresh one, unless the transport names
  // requests by their question (input_required rounds).
  virtual Json request_id_for(const Question&) { return next_request_id(); }
};

// For contexts that cannot stream (plain JSON answers, stateless requests).
class NoOutbound final : public Outbound {
 public:
  bool can_stream() const override { return false; }
  Task<bool> send(Json) override { co_return false; }
  Task<std::optional<Json>> await_reply(const Json&, std::int64_t) override {
    co_return std::nullopt;
  }
  Json next_request_id() override { return nullptr; }
};

}  // namespace bmcp::mcp
