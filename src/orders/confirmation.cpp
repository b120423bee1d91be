#include "orders/confirmation.hpp"

#include "crypto/base64.hpp"
#include "crypto/hex.hpp"
#include "effects/host_api.hpp"

namespace bmcp::orders {
namespace {

std::string token_hash(const CryptoPort& crypto, std::string_view token) {
  return crypto::hex_encode(crypto.sha256(token));
}

}  // namespace

Task<std::optional<IssuedConfirmation>> issue_confirmation(Io& io, ConfirmationBinding b,
                                                           Json preview) {
  IssuedConfirmation issued;
  issued.token = "cfm_" + crypto::base64url_encode(io.crypto().random_bytes(24));
  issued.expires_at_ms = io.now_ms() + kConfirmationTtlMs;
  std::string sql =
      "INSERT INTO order_confirmations (token_hash, user_id, provider, action, account_display, "
      "order_digest, preview, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  Json params =
      Json::array({token_hash(io.crypto(), issued.token), b.user_id, b.provider, b.action,
                   b.account_display, b.order_digest, dump_json(preview), issued.expires_at_ms});
  host::SqlResult r = co_await host::d1_query(io, std::move(sql), std::move(params));
  if (!r.ok) co_return std::nullopt;
  co_return issued;
}

Task<ConfirmationCheck> consume_confirmation(Io& io, std::string token, ConfirmationBinding b) {
  const std::string hash = token_hash(io.crypto(), token);
  std::string select =
      "SELECT provider, action, account_display, order_digest, expires_at, used_at "
      "FROM order_confirmations WHERE token_hash = ? AND user_id = ?";
  Json select_params = Json::array({hash, b.user_id});
  host::SqlResult found = co_await host::d1_query(io, std::move(select), std::move(select_params));
  if (!found.ok) co_return ConfirmationCheck::kStorageError;
  if (found.rows.empty()) co_return ConfirmationCheck::kUnknown;
  const Json& row = found.rows[0];
  if (const Json* used = find_member(row, "used_at"); used && !used->is_null())
    co_return ConfirmationCheck::kUsed;
  const std::int64_t now = io.now_ms();
  if (get_int(row, "expires_at").value_or(0) <= now) co_return ConfirmationCheck::kExpired;
  if (get_string(row, "provider").value_or("") != b.provider ||
      get_string(row, "action").value_or("") != b.action ||
      get_string(row, "account_display").value_or("") != b.account_display ||
      !io.crypto().constant_time_equal(get_string(row, "order_digest").value_or(""),
                                       b.order_digest))
    co_return ConfirmationCheck::kMismatch;
  // The conditional update is what makes the token single-use under concurrency.
  std::string update =
      "UPDATE order_confirmations SET used_at = ? "
      "WHERE token_hash = ? AND user_id = ? AND used_at IS NULL AND expires_at > ?";
  Json update_params = Json::array({now, hash, b.user_id, now});
  host::SqlResult consumed =
      co_await host::d1_query(io, std::move(update), std::move(update_params));
  if (!consumed.ok) co_return ConfirmationCheck::kStorageError;
  co_return consumed.changes == 1 ? ConfirmationCheck::kConfirmed : ConfirmationCheck::kUsed;
}

std::string explain(ConfirmationCheck check) {
  switch (check) {
    case ConfirmationCheck::kConfirmed: return "Confirmed.";
    case ConfirmationCheck::kUnknown:
      return "This confirmation token is not known. Preview the order to get a token.";
    case ConfirmationCheck::kExpired:
      return "This confirmation token has expired (tokens are valid for 5 minutes). Preview the "
             "order again.";
    case ConfirmationCheck::kUsed:
      return "This confirmation token was already used; each token confirms one order once. "
             "Preview again "
             "if the person wants to send another order.";
    case ConfirmationCheck::kMismatch:
      return "This confirmation token was issued for a different order, account or action. Only "
             "the exact "
             "order that was previewed can be sent with it; preview the changed order again.";
    case ConfirmationCheck::kStorageError:
      return "The confirmation could not be checked right now; try again.";
  }
  return "";
}

}  // namespace bmcp::orders
