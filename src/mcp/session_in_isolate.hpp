// Serving a session's request in the isolate that received it. Most of what a 2025-era
// client sends in a session needs nothing from the session but its record (owner,
// negotiated version, client capabilities, log level): ping, the lists, reads,
// completion, and tool calls that cannot talk back to the client. Those are answered
// here, with the gateway's one parse and one core entry, from the record the isolate
// keeps (session_cache.hpp) or, when it has none fresh, fetches from the session object.
//
// Everything else still goes to the session's Durable Object, which alone holds what
// outlives one request (basic/transports#streamable-http): initialize, notifications and
// client responses (routed to a waiting call), GET streams and resumption, DELETE,
// logging/setLevel and subscriptions (they change the record), batches, a request with a
// progressToken (its progress stream must be resumable), and every tool that may ask the
// client something (elicitation, sampling) or changes something at the broker: what the
// object does not see, it cannot cancel (basic/utilities/cancellation lets a receiver
// ignore a cancellation it cannot act on; these calls are short reads).
#pragma once

#include "mcp/catalog.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/principal.hpp"
#include "mcp/session_cache.hpp"

#include <optional>
#include <string>

namespace bmcp::mcp {

// The path of the session object's record (GET): 200 with its SessionState JSON, 404 when
// there is no session. Only the gateway reaches it (the Worker forwards nothing but MCP
// paths to the object); the owner check is the caller's, on every request.
inline constexpr const char* kSessionRecordPath = "/_session/record";

// True when this request can be answered from the session's record alone.
bool runs_in_isolate(const RpcMessage& request, const Catalog& catalog);

// True when this message changes the session's record (the isolate's copy is dropped and
// the session held, SessionCache::hold).
bool changes_session_record(const RpcMessage& message);

// Answers `request` of session `session_id` here, or nullopt when the session object must
// answer after all (the isolate could not learn the record: unknown session, another
// transport, the object unreachable), in which case nothing was done.
Task<std::optional<Json>> serve_in_isolate(Io& io, const RpcMessage& request,
                                           const std::string& session_id,
                                           const Principal& principal, const Catalog& catalog,
                                           SessionCache& cache, const std::string& session_binding);

}  // namespace bmcp::mcp
