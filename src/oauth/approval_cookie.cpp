#include "oauth/approval_cookie.hpp"

#include <algorithm>

#include "base/json.hpp"
#include "crypto/sealed_box.hpp"
#include "oauth/scopes.hpp"

namespace bmcp::oauth {
namespace {

constexpr std::int64_t kFormatVersion = 1;

// Base64url grows the sealed bytes (plaintext + 16-byte tag) by 4/3; "v1.", the IV and the
// dot add 20 characters.
std::size_t sealed_length(std::size_t plaintext_length) {
  return 20 + ((plaintext_length + 16) * 4 + 2) / 3;
}

Json payload_for(const std::vector<ClientApproval>& approvals) {
  Json list = Json::array();
  for (const ClientApproval& approval : approvals)
    list.push_back(
        Json{{"id", approval.client_id}, {"exp", approval.expires_at}, {"scope", approval.scope}});
  return Json{{"v", kFormatVersion}, {"clients", std::move(list)}};
}

}  // namespace

bool ApprovedClients::contains(std::string_view client_id, std::int64_t now) const {
  for (const ClientApproval& approval : approvals)
    if (approval.client_id == client_id && now < approval.expires_at) return true;
  return false;
}

void ApprovedClients::add(std::string_view client_id, std::int64_t now,
                          std::int64_t lifetime_seconds, std::string_view scope) {
  if (client_id.empty() || client_id.size() > kMaxApprovedClientIdLength || scope.size() > 256)
    return;
  std::int64_t expires_at = now + lifetime_seconds;
  for (ClientApproval& approval : approvals) {
    if (approval.client_id == client_id) {
      approval.expires_at = std::max(approval.expires_at, expires_at);
      approval.scope = std::string(scope);
      return;
    }
  }
  approvals.push_back(ClientApproval{std::string(client_id), expires_at, std::string(scope)});
}

std::int64_t ApprovedClients::max_age(std::int64_t now) const {
  std::int64_t latest = now;
  for (const ClientApproval& approval : approvals) latest = std::max(latest, approval.expires_at);
  return latest - now;
}

ApprovedClients read_approval_cookie(const CryptoPort& crypto, std::string_view key,
                                     std::string_view cookie_value, std::int64_t now) {
  ApprovedClients clients;
  std::optional<std::string> plaintext =
      crypto::open(crypto, key, cookie_value, kApprovalCookieAad);
  if (!plaintext) return clients;
  std::optional<Json> payload = parse_json(*plaintext);
  if (!payload || get_int(*payload, "v") != kFormatVersion) return clients;
  const Json* list = find_member(*payload, "clients");
  if (list == nullptr || !list->is_array()) return clients;

  ApprovedClients read;
  for (const Json& entry : *list) {
    std::optional<std::string> id = get_string(entry, "id");
    std::optional<std::int64_t> expires_at = get_int(entry, "exp");
    const Json* scope_value = find_member(entry, "scope");
    std::optional<std::string> scope = scope_value ? get_string(entry, "scope") : std::string();
    // Anything unexpected means the cookie is not one we wrote: trust none of it.
    if (!id || !expires_at || !scope || id->empty() || id->size() > kMaxApprovedClientIdLength)
      return clients;
    if (now >= *expires_at) continue;
    auto same_client =
        std::find_if(read.approvals.begin(), read.approvals.end(),
                     [&](const ClientApproval& approval) { return approval.client_id == *id; });
    if (same_client != read.approvals.end()) {
      // Two entries for one client: keep the narrower choice.
      same_client->expires_at = std::max(same_client->expires_at, *expires_at);
      same_client->scope = scope_intersection(same_client->scope, *scope);
      continue;
    }
    if (read.approvals.size() == kMaxApprovedClients) return clients;
    read.approvals.push_back(ClientApproval{std::move(*id), *expires_at, std::move(*scope)});
  }
  return read;
}

std::optional<std::string> seal_approval_cookie(const CryptoPort& crypto, std::string_view key,
                                                const ApprovedClients& clients, std::int64_t now,
                                                std::string_view iv) {
  std::vector<ClientApproval> kept;
  for (const ClientApproval& approval : clients.approvals)
    if (now < approval.expires_at && !approval.client_id.empty() &&
        approval.client_id.size() <= kMaxApprovedClientIdLength)
      kept.push_back(approval);
  // Most recently approved (latest expiry) first, so eviction drops the oldest approvals.
  std::stable_sort(kept.begin(), kept.end(), [](const ClientApproval& a, const ClientApproval& b) {
    return a.expires_at > b.expires_at;
  });
  if (kept.size() > kMaxApprovedClients) kept.resize(kMaxApprovedClients);
  std::string plaintext = dump_json(payload_for(kept));
  while (!kept.empty() && sealed_length(plaintext.size()) > kMaxApprovalCookieValueBytes) {
    kept.pop_back();
    plaintext = dump_json(payload_for(kept));
  }
  return crypto::seal(crypto, key, plaintext, kApprovalCookieAad, iv);
}

}  // namespace bmcp::oauth
