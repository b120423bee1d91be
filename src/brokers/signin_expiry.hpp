// When a person's broker sign-in ends, in plain words. Schwab ends every sign-in 7 days after
// it was made (its refresh tokens die then, whatever we do); tastytrade sign-ins do not end
// by themselves. Within the last 24 hours, every tool result that reached the broker carries
// the notice (mcp/server.cpp appends the request's notices), and the status tool shows it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bmcp::brokers {

inline constexpr std::int64_t kSigninWarningMs = 24LL * 3600 * 1000;

// "in 5 hours", "in 40 minutes", "in 3 days" (rounded down; "now" when past).
std::string time_until(std::int64_t expires_at_ms, std::int64_t now_ms);

// The notice for a sign-in at `broker_label` ending at `expires_at_ms`; empty when more than
// kSigninWarningMs remain.
std::string signin_expiry_notice(std::string_view broker_label, std::int64_t expires_at_ms,
                                 std::int64_t now_ms);

}  // namespace bmcp::brokers
