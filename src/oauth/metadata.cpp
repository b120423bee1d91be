#include "oauth/metadata.hpp"

#include "oauth/scopes.hpp"

namespace bmcp::oauth {
namespace {

constexpr std::string_view kPrmPath = "/.well-known/oauth-protected-resource";
constexpr std::string_view kAsPath = "/.well-known/oauth-authorization-server";

}  // namespace

Json protected_resource_metadata(const ServerIdentity& identity, const std::string& resource) {
  return {{"resource", resource},
          {"authorization_servers", Json::array({identity.issuer})},
          {"scopes_supported", supported_scopes()},
          {"bearer_methods_supported", Json::array({"header"})},
          {"resource_name", "broker-mcp"}};
}

Json authorization_server_metadata(const ServerIdentity& identity) {
  Json auth_methods = Json::array({"none", "client_secret_basic", "client_secret_post"});
  return {{"issuer", identity.issuer},
          {"authorization_endpoint", identity.issuer + "/authorize"},
          {"token_endpoint", identity.issuer + "/token"},
          {"registration_endpoint", identity.issuer + "/register"},
          {"revocation_endpoint", identity.issuer + "/revoke"},
          {"response_types_supported", Json::array({"code"})},
          {"response_modes_supported", Json::array({"query"})},
          {"grant_types_supported", Json::array({"authorization_code", "refresh_token"})},
          {"token_endpoint_auth_methods_supported", auth_methods},
          {"revocation_endpoint_auth_methods_supported", auth_methods},
          {"code_challenge_methods_supported", Json::array({"S256"})},
          // MCP authorization "Client ID Metadata Documents" (oauth/client_metadata_document.hpp).
          {"client_id_metadata_document_supported", true},
          {"scopes_supported", supported_scopes()},
          {"authorization_response_iss_parameter_supported", true}};
}

bool is_metadata_path(std::string_view path) {
  return path == kPrmPath || path == std::string(kPrmPath) + "/mcp" ||
         path == std::string(kPrmPath) + "/sse" || path == kAsPath;
}

http::Response serve_metadata(const ServerSettings& settings, const http::Request& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    http::Response r = http::Response::json(405, {{"error", "method_not_allowed"}});
    r.set("Allow", "GET, HEAD");
    return r;
  }
  ServerIdentity identity = server_identity(settings, request);
  const std::string& path = request.parsed_url.path;
  Json body;
  if (path == kAsPath) body = authorization_server_metadata(identity);
  else if (path == std::string(kPrmPath) + "/sse")
    body = protected_resource_metadata(identity, identity.sse_resource);
  else body = protected_resource_metadata(identity, identity.mcp_resource);
  http::Response r = http::Response::json(200, body);
  r.set("Cache-Control", "public, max-age=300");
  r.set("Access-Control-Allow-Origin", "*");
  return r;
}

}  // namespace bmcp::oauth
