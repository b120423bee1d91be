// Short-lived tickets for opening the person's WebSocket hub (GET /ws?ticket=…) where an
// Authorization header cannot be sent (the browser WebSocket API). A ticket is 128 bits
// of secure randomness, valid once and for 60 seconds; D1 `ws_tickets` keeps only its
// SHA-256, so a database read does not yield a usable ticket.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"

#include <optional>
#include <string>

namespace bmcp::hub {

inline constexpr std::int64_t kTicketLifetimeMs = 60'000;

// A new ticket for the person; nullopt when it could not be stored.
Task<std::optional<std::string>> issue_ticket(Io& io, std::string user_id);

// The person a ticket was issued to, consuming it; nullopt when unknown, used or expired.
Task<std::optional<std::string>> redeem_ticket(Io& io, std::string ticket);

}  // namespace bmcp::hub
