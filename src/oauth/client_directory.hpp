// Who a client_id names: the built-in direct sign-in client (kDirectSignInClientId), a
// client registered here (RFC 7591, D1 `oauth_clients`), or —
// when the client_id is a URL — the client its Client ID Metadata Document describes
// (client_metadata_document.hpp). Documents are fetched with a 5-second timeout, at most
// 5 KB, redirects not followed, and cached in KV for 10 minutes; a cached document is
// validated again on every use. A failed lookup (no answer, an HTTP error, a document that
// is not acceptable) is remembered for a minute too, so a client_id that keeps failing
// cannot make this server fetch it again on every request (outbound fetch amplification).
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "oauth/server_settings.hpp"
#include "storage/oauth_clients_table.hpp"

#include <string>

namespace bmcp::oauth {

inline constexpr std::int64_t kClientDocumentCacheSeconds = 600;
inline constexpr std::int64_t kClientDocumentTimeoutMs = 5000;
inline constexpr std::int64_t kClientDocumentFailureCacheSeconds = 60;  // KV's shortest expiry

struct ClientLookup {
  enum class Status { kFound, kUnknown, kUnusable, kUnavailable };
  Status status = Status::kUnknown;
  storage::ClientRecord client;  // kFound
  std::string problem;           // kUnusable: why, in words fit for the person and the client
};

Task<ClientLookup> find_client(Io& io, const ServerSettings& settings, std::string client_id);

}  // namespace bmcp::oauth
