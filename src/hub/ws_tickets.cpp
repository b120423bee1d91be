#include "hub/ws_tickets.hpp"

#include "crypto/hex.hpp"
#include "effects/host_api.hpp"

namespace bmcp::hub {
namespace {

std::string ticket_hash(Io& io, std::string_view ticket) {
  return crypto::hex_encode(io.crypto().sha256(ticket));
}

}  // namespace

Task<std::optional<std::string>> issue_ticket(Io& io, std::string user_id) {
  const std::string ticket = "wst_" + crypto::hex_encode(io.crypto().random_bytes(16));
  // Expired tickets of anyone are swept on issue, so the table stays small.
  std::vector<std::pair<std::string, Json>> statements;
  statements.emplace_back("DELETE FROM ws_tickets WHERE expires_at <= ?",
                          Json::array({io.now_ms()}));
  statements.emplace_back(
      "INSERT INTO ws_tickets (ticket_hash, user_id, expires_at) VALUES (?, ?, ?)",
      Json::array({ticket_hash(io, ticket), user_id, io.now_ms() + kTicketLifetimeMs}));
  std::vector<host::SqlResult> r = co_await host::d1_batch(io, std::move(statements));
  if (r.size() != 2 || !r[1].ok) co_return std::nullopt;
  co_return ticket;
}

Task<std::optional<std::string>> redeem_ticket(Io& io, std::string ticket) {
  if (ticket.size() != 36 || ticket.rfind("wst_", 0) != 0) co_return std::nullopt;
  // DELETE … RETURNING: the same ticket presented twice at once is honoured once.
  std::string sql =
      "DELETE FROM ws_tickets WHERE ticket_hash = ? AND expires_at > ? RETURNING user_id";
  Json values = Json::array({ticket_hash(io, ticket), io.now_ms()});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(values));
  if (!r.ok || r.rows.empty()) co_return std::nullopt;
  co_return get_string(r.rows[0], "user_id");
}

}  // namespace bmcp::hub
