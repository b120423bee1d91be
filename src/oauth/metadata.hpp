// Discovery documents:
//   RFC 9728 protected resource metadata at /.well-known/oauth-protected-resource and
//     /.well-known/oauth-protected-resource/mcp (resource = <issuer>/mcp), and at
//     /.well-known/oauth-protected-resource/sse for the legacy transport;
//   RFC 8414 authorization server metadata at /.well-known/oauth-authorization-server.
// Both are public, cacheable for a short while, and readable cross-origin (browser-based
// MCP clients fetch them).
#pragma once

#include "oauth/server_settings.hpp"

#include <optional>

namespace bmcp::oauth {

Json protected_resource_metadata(const ServerIdentity& identity, const std::string& resource);
Json authorization_server_metadata(const ServerIdentity& identity);

bool is_metadata_path(std::string_view path);
// The response for a metadata path (GET/HEAD; 405 otherwise).
http::Response serve_metadata(const ServerSettings& settings, const http::Request& request);

}  // namespace bmcp::oauth
