// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document; MCP
// authorization, "Client ID Metadata Documents"): a client_id that is an https URL names a
// JSON document, hosted by the client, describing it. This file holds the rules — which
// URLs may be fetched, what a document must say — and no I/O (oauth/client_directory.hpp
// fetches and caches).
//
// Rules and their sources:
// - The URL: https with a host and a path other than "/" (draft §3); no userinfo, no
//   fragment, no dot segments; not an IP literal or "localhost" — the server fetches it,
//   so it must not be pointed at private addresses (draft §6.5, SSRF). The one exception is
//   plain http to a loopback host when the deployment allows it (local development only).
// - The document: a JSON object of at most 5 KB whose `client_id` is exactly the URL
//   (draft §4.1); redirect URIs and the other metadata follow the same rules as dynamic
//   registration (client_registration.hpp); no shared secret — `client_secret` must not be
//   present and `token_endpoint_auth_method` must be "none" (absent means "none" here):
//   this server supports public metadata-document clients only (draft §4.1).
#pragma once

#include "storage/oauth_clients_table.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace bmcp::oauth {

inline constexpr std::size_t kMaxClientMetadataDocumentBytes = 5 * 1024;

// True when the client_id is meant as a document URL (http:// or https://) rather than an
// id this server issued.
bool is_client_metadata_url(std::string_view client_id);

// Why the URL may not be fetched, or nullopt when it may.
std::optional<std::string> client_metadata_url_problem(std::string_view url,
                                                       bool allow_loopback_http);

// The client the document describes, or why it cannot be used (`problem`).
struct ClientDocumentCheck {
  std::optional<storage::ClientRecord> client;
  std::string problem;
};
ClientDocumentCheck client_from_metadata_document(std::string_view url, std::string_view body);

// The host part of the URL ("app.example.com"), shown on the consent page next to the
// name the document claims.
std::string client_metadata_host(std::string_view url);

}  // namespace bmcp::oauth
