// The approval cookie: which MCP clients this browser's user has already approved on the
// consent page, so /authorize can skip the page for them.
//
// Not merely signed (which would leave it readable): the list is sealed with AES-256-GCM under
// COOKIE_ENCRYPTION_KEY (aad "approval-cookie"): a browser cannot read which clients were
// approved nor add one. Each approval has its own expiry.
//
// Each approval also remembers the scope the person chose for that client (read-only, or
// read and trade), so skipping the page never grants more than they chose; an approval
// without a remembered scope (an older cookie) covers nothing.
//
// Guarantees: reading never fails: a missing, tampered, foreign or malformed cookie reads as
// an empty list, and expired approvals are dropped, so the worst case is showing the consent
// page again. Writing keeps the cookie within browser limits (RFC 6265 §6.1: 4096 bytes per
// cookie) by keeping at most kMaxApprovedClients approvals, the most recent first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/crypto_port.hpp"

namespace bmcp::oauth {

inline constexpr std::string_view kApprovalCookieName = "mcp-approved-clients";
inline constexpr std::string_view kApprovalCookieAad = "approval-cookie";
inline constexpr std::int64_t kApprovalLifetimeSeconds = 30 * 24 * 60 * 60;
inline constexpr std::size_t kMaxApprovedClients = 32;
inline constexpr std::size_t kMaxApprovedClientIdLength = 512;
inline constexpr std::size_t kMaxApprovalCookieValueBytes = 3800;

struct ClientApproval {
  std::string client_id;
  std::int64_t expires_at = 0;
  std::string scope;  // what the person chose, space-separated; "" when not known
};

struct ApprovedClients {
  std::vector<ClientApproval> approvals;

  bool contains(std::string_view client_id, std::int64_t now) const;
  // Adds or renews, with the scope chosen now (it replaces an earlier choice). A client id
  // longer than kMaxApprovedClientIdLength is not remembered.
  void add(std::string_view client_id, std::int64_t now,
           std::int64_t lifetime_seconds = kApprovalLifetimeSeconds, std::string_view scope = {});
  // Seconds until the last approval expires: the Max-Age to give the cookie (0 if none).
  std::int64_t max_age(std::int64_t now) const;
};

ApprovedClients read_approval_cookie(const CryptoPort& crypto, std::string_view key,
                                     std::string_view cookie_value, std::int64_t now);

// nullopt only when the key is not 32 bytes or the IV not 12 bytes.
std::optional<std::string> seal_approval_cookie(const CryptoPort& crypto, std::string_view key,
                                                const ApprovedClients& clients, std::int64_t now,
                                                std::string_view iv);

}  // namespace bmcp::oauth
