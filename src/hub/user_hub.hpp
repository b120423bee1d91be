// UserHub: the Durable Object of one person (named by their user id), holding their
// WebSocket subscribers with hibernation. Everything it decides lives here; the shim only
// accepts sockets, keeps each one's attachment and moves frames (bindings/ABI.md).
//
// Subscriber protocol (text frames, JSON):
//   → {"type":"subscribe","channels":["analysis", "analysis:<workflowId>"]}
//   ← {"type":"subscribed","channels":[…every channel of this socket…]}
//   → {"type":"unsubscribe","channels":[…]}   ← {"type":"unsubscribed","channels":[…]}
//   → {"type":"ping"}                          ← {"type":"pong"}
//   ← {"type":"error","error":<code>,"message":…} for anything else
//   ← events broadcast on a subscribed channel (analysis.progress, analysis.complete)
// A socket's channels live in its attachment ({"channels":[…]}), which survives
// hibernation. The hub is per person, so a broadcast can only reach that person.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "http/http_message.hpp"

#include <string_view>

namespace bmcp::hub {

// The Durable Object binding of the hubs (wrangler.toml), each named by a user id.
inline constexpr const char* kUserHubBinding = "USER_HUB";
inline constexpr std::size_t kMaxChannelsPerSocket = 16;
inline constexpr std::size_t kMaxFrameBytes = 4096;

// "analysis" (every analysis of the person) or "analysis:an_<24 hex>" (one run).
bool valid_channel(std::string_view channel);

// The hub's own requests: GET /ws with Upgrade: websocket (already authenticated by the
// Worker, which forwards only that) → accept; POST /broadcast {channels, event,
// resourcesUpdated?} from the Queue consumer → send to the subscribed sockets, tell the
// MCP listeners of each updated resource, answer {"delivered": n}; POST /listen and
// POST /resource-updated: the person's subscriptions/listen streams (resource_listeners.hpp).
Task<Json> serve_hub_request(Io& io, const http::Request& request);

// One text frame from a subscriber with its attachment → a websocket.reply result.
Json on_subscriber_message(std::string_view text, const Json& attachment);

}  // namespace bmcp::hub
