// The MCP front door in the Worker: every check that needs no session state happens here,
// in the order of the transport spec (2025-11-25 basic/transports#streamable-http) —
// Origin (403), method (405), Accept (406), Content-Type (415), JSON (400/-32700),
// MCP-Protocol-Version (400) — then the request
// goes to the session's Durable Object (forward) or, when it needs nothing but the
// session's record (session_in_isolate.hpp), and for 2026-07-28 stateless requests, is
// served right here. Authentication runs before the gateway (app/router).
#pragma once

#include "http/http_message.hpp"
#include "mcp/session_cache.hpp"
#include "mcp/session_host.hpp"

#include <string>
#include <vector>

namespace bmcp::mcp {

struct GatewayOptions {
  std::vector<std::string> allowed_origins;  // exact origins, e.g. "https://claude.ai"
  std::string public_origin;                 // configured PUBLIC_URL origin, may be empty
  std::string session_binding = "MCP_SESSION";
  // Seals 2026-07-28 multi round-trip state (input_round_trip.hpp); empty disables it.
  std::string request_state_key;
  // The hubs holding 2026-07-28 subscriptions/listen streams; empty: nothing is honored.
  std::string listen_binding;
  // This isolate's session records (session_in_isolate.hpp); null: every session request
  // goes to its object.
  SessionCache* session_cache = nullptr;
};

// True when a browser Origin may talk to this server (basic/transports#security-warning):
// loopback origins, the configured public origin, configured extra origins, and the
// request's own origin when it is https (a TLS origin cannot be DNS-rebound).
bool origin_allowed(std::string_view origin, const http::Request& request,
                    const GatewayOptions& options);

Task<Json> serve_mcp_gateway(Io& io, const http::Request& request, const Principal& principal,
                             const GatewayOptions& options, const CatalogFor& catalog_for);

}  // namespace bmcp::mcp
