// The open subscriptions/listen streams of one person, held by their UserHub object
// (hub/user_hub.hpp), so that a change seen in any isolate — a positions read that found
// other holdings, an analysis that finished — reaches every stream of that person and
// nobody else's (the hub is named by the user id).
//
// Protocol (internal requests, from this deployment only; Durable Objects are not
// reachable from outside):
//   POST /listen {id, notifications}   from the Worker, after the bearer check and with the
//                                      filter already narrowed (mcp/subscriptions.hpp) →
//                                      the SSE stream: the acknowledgment first, then one
//                                      notifications/resources/updated per change.
//   POST /resource-updated {uri}       → {"told": n}
//   POST /session-subscriptions {session, uris}
//                                      a 2025-11-25 session's resource subscriptions as they
//                                      are now (resources/subscribe); each change of one of
//                                      those resources is passed to the session object, which
//                                      sends it on the session's stream (mcp/session_host.hpp).
//
// Guarantees: at most kMaxListenersPerPerson streams are kept; opening one more ends the
// oldest gracefully (its listen response, then the stream closes). At most
// kMaxSubscribedSessions sessions are kept (the oldest is forgotten); a session that ended
// or no longer subscribes (its object answers 410) is forgotten at the next change. A stream whose
// client went away is forgotten at the next change. The registry lives in the object's storage, so
// it outlasts an eviction of the object's code, while streams that did not are dropped.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "http/http_message.hpp"

#include <cstdint>
#include <string>

namespace bmcp::hub {

inline constexpr std::size_t kMaxListenersPerPerson = 8;
inline constexpr std::size_t kMaxSubscribedSessions = 32;

Task<Json> open_listener(Io& io, const http::Request& request);

// POST /session-subscriptions.
Task<Json> record_session_subscriptions(Io& io, const http::Request& request);

// Tells every listener and subscribed session that asked for `uri`; answers how many were told.
Task<std::int64_t> tell_listeners(Io& io, std::string uri);

}  // namespace bmcp::hub
