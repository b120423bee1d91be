// The resource-server side: every MCP request (/mcp, /sse, /sse/message) must carry
// `Authorization: Bearer <access token>` (RFC 6750 §2.1; never in the query string, MCP
// authorization#token-requirements). The token must be one of ours — HS256 only, typ
// at+jwt, our issuer, an audience that is this MCP server, unexpired — and its grant must be
// alive, and the person's broker sign-in must still be usable. Otherwise 401 with
// `WWW-Authenticate: Bearer resource_metadata="…", scope="…"` (plus error="invalid_token"
// when a token was presented), which sends the MCP client back through sign-in.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "mcp/principal.hpp"
#include "oauth/grant_cache.hpp"
#include "oauth/verified_jwt_cache.hpp"
#include "oauth/server_settings.hpp"

#include <optional>

namespace bmcp::oauth {

inline constexpr std::int64_t kAccessTokenLeewaySeconds = 30;

struct BearerCheck {
  std::optional<http::Response> rejection;  // answer this instead of serving the request
  mcp::Principal principal;                 // when accepted
};

// What the bearer check may remember between requests (each may be null): `grants` spares
// the D1 lookup for a grant seen alive in the last seconds, `signatures` the decoding and
// HMAC of a token verified in the last minutes.
struct BearerMemory {
  GrantCache* grants = nullptr;
  VerifiedJwtCache* signatures = nullptr;
};

Task<BearerCheck> authenticate_bearer(Io& io, const ServerSettings& settings,
                                      const http::Request& request, BearerMemory memory = {});

// The 401 challenge, for a request to `path`. `error` empty: no token was presented.
http::Response bearer_challenge(const ServerIdentity& identity, std::string_view path, int status,
                                std::string_view error, std::string_view description);

}  // namespace bmcp::oauth
