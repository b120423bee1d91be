// The session side of both stateful MCP transports. It runs inside the session's
// Durable Object (one per Mcp-Session-Id), so every request of a session — from any
// isolate — meets the same state, the same open streams, and the same waiting calls:
//  - Streamable HTTP (spec 2025-11-25 basic/transports#streamable-http): POST answers JSON,
//    or SSE as soon as the handler sends a notification or a server-to-client request;
//    client responses to those requests are routed to the waiting call (mailbox);
//    notifications/cancelled cancels the tagged call; DELETE ends the session.
//    Every event of a POST's stream has an id; GET with Last-Event-ID resumes that stream
//    (stream_resumption.hpp); GET without it opens the session's stream for server messages.
//  - Legacy HTTP+SSE (2024-11-05): GET /sse (or /mcp/sse) holds the stream; POST
//    /sse/message answers 202 and the JSON-RPC response travels on that stream.
// The gateway (gateway.hpp) has already checked Origin, authentication and headers, and
// passes the principal in a header only it can set.
#pragma once

#include "http/http_message.hpp"
#include "mcp/server.hpp"

#include <functional>

namespace bmcp::mcp {

// Header the gateway uses to hand the authenticated principal to the session object.
inline constexpr const char* kPrincipalHeader = "X-Broker-Mcp-Principal";

Json principal_to_json(const Principal& p);
Principal principal_from_json(const Json& j);

using CatalogFor = std::function<const Catalog&(const Principal&)>;

// The Durable Object binding of the sessions (wrangler.toml), each named by its session id.
inline constexpr const char* kSessionBinding = "MCP_SESSION";
// The session object's own path for "a resource you may be subscribed to changed":
// POST {uri} → notifications/resources/updated on the session's open stream when the session
// is subscribed to it; 410 when the session ended or is not (so the sender forgets it).
inline constexpr const char* kSessionResourceUpdatedPath = "/_session/resource-updated";

// Told whenever a session's resource subscriptions change (resources/subscribe and
// unsubscribe, the session's end), with every URI it is subscribed to now, so that changes
// of those resources can reach it; the app records them with the person's hub
// (hub/resource_listeners.hpp). Empty: nobody is told, and subscriptions hear nothing.
using SubscriptionsChanged =
    std::function<Task<void>(Io& io, std::string user_id, std::string session_id, Json uris)>;

// Serves one request forwarded to the session object named `session_id`.
Task<Json> serve_session_request(Io& io, const http::Request& request, std::string session_id,
                                 const CatalogFor& catalog_for,
                                 const SubscriptionsChanged& subscriptions_changed);

}  // namespace bmcp::mcp
