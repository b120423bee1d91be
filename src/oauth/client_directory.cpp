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

// A failed lookup as remembered in KV: its status and the problem in words.
std::string failure_record(const ClientLookup& failed) {
  Json record = {{"unavailable", failed.status == ClientLookup::Status::kUnavailable},
                 {"problem", failed.problem}};
  return dump_json(record);
}

std::optional<ClientLookup> from_failure_record(std::string_view text) {
  auto record = parse_json(text);
  if (!record || !record->is_object()) return std::nullopt;
  ClientLookup out = unusable(
      get_string(*record, "problem").value_or("the client metadata document could not be used"));
  if (const Json* u = find_member(*record, "unavailable"); u && u->is_boolean() && u->get<bool>())
    out.status = ClientLookup::Status::kUnavailable;
  return out;
}

Task<ClientLookup> fetch_document(Io& io, const std::string& url, const std::string& cache_key) {
  http::Request request;
  request.method = "GET";
  request.url = url;
  request.parsed_url = http::parse_url(url).value_or(http::Url{});
  request.headers.emplace_back("Accept", "application/json");
  // Read with the document's own cap: a URL that streams without end costs 5 KB, not memory.
  const auto max_bytes = static_cast<std::int64_t>(kMaxClientMetadataDocumentBytes);
  host::FetchResult fetched =
      co_await host::fetch_at_most(io, request, kClientDocumentTimeoutMs, max_bytes);
  if (!fetched.ok && fetched.error_code == host::kFetchTooLarge)
    co_return unusable("the client metadata document is larger than 5 KB");
  if (!fetched.ok) {
    ClientLookup out;
    out.status = ClientLookup::Status::kUnavailable;
    out.problem = "the client metadata document could not be fetched (" + fetched.error_code + ")";
    co_return out;
  }
  if (fetched.response.status != 200)
    co_return unusable("the client metadata document answered HTTP " +
                       std::to_string(fetched.response.status));
  ClientLookup found = from_document(url, fetched.response.body);
  if (found.status == ClientLookup::Status::kFound)
    co_await host::kv_put(io, cache_key, fetched.response.body, kClientDocumentCacheSeconds);
  co_return found;
}

Task<ClientLookup> find_by_document(Io& io, const ServerSettings& settings, std::string url) {
  if (auto problem = client_metadata_url_problem(url, settings.allow_loopback_client_metadata))
    co_return unusable(*problem);
  const std::string url_hash = crypto::hex_encode(io.crypto().sha256(url));
  const std::string cache_key = "cimd:" + url_hash;
  const std::string failure_key = "cimd-failed:" + url_hash;
  std::optional<std::string> cached = co_await host::kv_get(io, cache_key);
  if (cached) co_return from_document(url, *cached);
  std::optional<std::string> failed = co_await host::kv_get(io, failure_key);
  if (failed) {
    if (auto remembered = from_failure_record(*failed)) co_return *remembered;
  }
  ClientLookup found = co_await fetch_document(io, url, cache_key);
  if (found.status != ClientLookup::Status::kFound) {
    std::string record = failure_record(found);
    co_await host::kv_put(io, failure_key, std::move(record), kClientDocumentFailureCacheSeconds);
  }
  co_return found;
}

}  // namespace

Task<ClientLookup> find_client(Io& io, const ServerSettings& settings, std::string client_id) {
  if (is_client_metadata_url(client_id))
    co_return co_await find_by_document(io, settings, std::move(client_id));
  if (client_id == kDirectSignInClientId) {
    // Public, no redirect URI, no grant type: it can present its session token to /revoke
    // and nothing else (never /authorize, never /token).
    ClientLookup out;
    out.status = ClientLookup::Status::kFound;
    out.client.client_id = std::move(client_id);
    out.client.metadata = {{"token_endpoint_auth_method", "none"},
                           {"grant_types", Json::array()},
                           {"redirect_uris", Json::array()}};
    co_return out;
  }
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
