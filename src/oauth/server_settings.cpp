#include "oauth/server_settings.hpp"

#include <cctype>

namespace bmcp::oauth {

ServerIdentity server_identity(const ServerSettings& settings, const http::Request& request) {
  ServerIdentity id;
  id.issuer = settings.public_url.empty() ? request.parsed_url.origin() : settings.public_url;
  id.mcp_resource = id.issuer + "/mcp";
  id.sse_resource = id.issuer + "/sse";
  return id;
}

std::optional<std::string> match_resource(const ServerIdentity& identity,
                                          std::string_view requested) {
  if (requested.empty()) return identity.mcp_resource;
  if (requested.size() > 2048 || requested.find('#') != std::string_view::npos) return std::nullopt;
  auto url = http::parse_url(requested);
  if (!url || !url->query.empty()) return std::nullopt;
  std::string path = url->path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  std::string canonical = url->origin() + path;
  if (canonical == identity.mcp_resource || canonical == identity.sse_resource) return canonical;
  return std::nullopt;
}

}  // namespace bmcp::oauth
