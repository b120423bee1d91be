#include "oauth/client_directory.hpp"

#include "crypto/hex.hpp"
#include "effects/bounded_fetch.hpp"
#include "effects/host_api.hpp"
#include "oauth/client_metadata_document.hpp"

namespace bmcp::oauth {
namespace {

ClientLookup unusable(std::string problem) {
  ClientLookup out;
  out.status = ClientLookup::Status::kUnusable;
  out.problem = std::move(problem);
  return out;
}

ClientLookup from_document(const std::string& url, std::string_view body) {
  ClientDocumentCheck check = client_from_metadata_document(url, body);
  if (!check.client) return unusable(check.problem);
  ClientLookup out;
  out.status = ClientLookup::Status::kFound;
  out.client = std::move(*check.client);
  return out;
}

Task<ClientLookup> find_by_document(Io& io, const ServerSettings& settings, std::string url) {
  if (auto problem = client_metadata_url_problem(url, settings.allow_loopback_client_metadata))
    co_return unusable(*problem);
  const std::string cache_key = "cimd:" + crypto::hex_encode(io.crypto().sha256(url));
  std::optional<std::string> cached = co_await host::kv_get(io, cache_key);
  if (cached) co_return from_document(url, *cached);

  http::Request request;
  request.method = "GET";
  request.url = url;
  request.parsed_url = http::parse_url(url).value_or(http::Url{});
  request.headers.emplace_back("Accept", "application/json");
  // Read with the document's own cap: a URL that streams without end costs 5 KB, not memory.
  const auto max_bytes = static_cast<std::int64_t>(kMaxClientMetadataDocumentBytes);
  host::FetchResult fetched = co_await host::fetch_at_most(io, request, kClientDocumentTimeoutMs, max_bytes);
  if (!fetched.ok && fetched.error_code == host::kFetchTooLarge)
    co_return unusable("the client metadata document is larger than 5 KB");
  if (!fetched.ok) {
    ClientLookup out;
    out.status = ClientLookup::Status::kUnavailable;
    out.problem = "the client metadata document could not be fetched (" + fetched.error_code + ")";
    co_return out;
  }
  if (fetched.response.status != 200)
    co_return unusable("the client metadata document answered HTTP " + std::to_string(fetched.response.status));
  ClientLookup found = from_document(url, fetched.response.body);
  if (found.status == ClientLookup::Status::kFound)
    co_await host::kv_put(io, cache_key, fetched.response.body, kClientDocumentCacheSeconds);
  co_return found;
}

}  // namespace

Task<ClientLookup> find_client(Io& io, const ServerSettings& settings, std::string client_id) {
  if (is_client_metadata_url(client_id)) co_return co_await find_by_document(io, settings, std::move(client_id));
  storage::Lookup<storage::ClientRecord> found = co_await storage::find_client(io, client_id);
  ClientLookup out;
  if (!found.storage_ok) out.status = ClientLookup::Status::kUnavailable;
  else if (found.row) {
    out.status = ClientLookup::Status::kFound;
    out.client = std::move(*found.row);
  }
  co_return out;
}

}  // namespace bmcp::oauth
