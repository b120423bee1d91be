#include "orders/order_journal.hpp"

#include "effects/host_api.hpp"

namespace bmcp::orders {

Task<bool> journal_begin(Io& io, JournalEntry& e) {
  // Letters only: an id with long digit runs would be shortened by the log redactor.
  std::string random = io.crypto().random_bytes(20);
  e.id = "ord_";
  for (unsigned char c : random) e.id.push_back(static_cast<char>('a' + c % 26));
  std::string sql =
      "INSERT INTO order_journal (id, user_id, provider, action, account_display, request, "
      "confirmation, "
      "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'sent', ?)";
  Json params = Json::array({e.id, e.user_id, e.provider, e.action, e.account_display,
                             dump_json(e.request), e.confirmation, io.now_ms()});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(params));
  co_return r.ok;
}

Task<bool> journal_finish(Io& io, JournalEntry e, std::string status, Json result) {
  std::string sql =
      "UPDATE order_journal SET status = ?, result = ?, completed_at = ? WHERE id = ? AND user_id "
      "= ?";
  Json params = Json::array({status, dump_json(result), io.now_ms(), e.id, e.user_id});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(params));
  co_return (r.ok && r.changes == 1);
}

}  // namespace bmcp::orders
