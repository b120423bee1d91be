// POST /revoke (RFC 7009): the client says it no longer needs a token. A refresh token
// (current or previous) or an access token of ours, issued to the authenticated client,
// revokes its whole grant: the refresh token stops working at once, and so do access tokens
// (the bearer check looks the grant up on every request). Unknown, foreign or malformed
// tokens get the same 200 (RFC 7009 §2.2), so the endpoint tells nothing about tokens.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "oauth/grant_cache.hpp"
#include "oauth/server_settings.hpp"

namespace bmcp::oauth {

// `cache` (may be null) forgets the revoked grant at once.
Task<http::Response> revocation_endpoint(Io& io, const ServerSettings& settings,
                                         const http::Request& request, GrantCache* cache = nullptr);

}  // namespace bmcp::oauth
