// Resumable Streamable HTTP streams (spec 2025-11-25 basic/transports#resumability-and-
// redelivery). Every event of a POST's SSE stream carries an id "<stream>-<n>" (a random
// stream id, then 1, 2, …), unique within the session, and is also posted to the session
// object's mailbox under that id. When the connection drops, the client sends GET with
// Last-Event-ID; resume_stream() opens a new SSE response and delivers the events after
// that one, in order, taking each from the mailbox as it arrives, until the request's own
// response — so a tool call whose connection dropped still delivers its result.
//
// Guarantees and bounds: each missed event is delivered once, to the first connection that
// resumes the stream (taken from the mailbox), never to another session (the mailbox is the
// session object's); an event nobody resumes is kept for the mailbox's early-post time
// (60 s on Workers); a resumed stream waits at most kResumeWaitMs for each next event, then
// ends (the client may resume again from its last event).
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bmcp::mcp {

inline constexpr std::int64_t kResumeWaitMs = 5 * 60 * 1000;

struct EventPosition {
  std::string stream;  // [0-9a-f]{12}
  std::int64_t seq = 0;
};

std::string new_stream_id(Io& io);
std::string event_id(std::string_view stream, std::int64_t seq);
// "<stream>-<n>" as event_id() writes it; nullopt for anything else.
std::optional<EventPosition> parse_event_id(std::string_view id);
// The mailbox key an event waits under for a resuming connection.
std::string replay_key(std::string_view stream, std::int64_t seq);

// GET with Last-Event-ID: the call result of the resumed SSE stream (headers name `session_id`).
Task<Json> resume_stream(Io& io, std::string session_id, EventPosition after);

}  // namespace bmcp::mcp
