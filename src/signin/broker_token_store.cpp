#include "signin/broker_token_store.hpp"

#include "crypto/hex.hpp"
#include "effects/critical_section.hpp"
#include "effects/host_api.hpp"
#include "signin/broker_oauth.hpp"
#include "signin/broker_token_record.hpp"
#include "storage/broker_tokens_table.hpp"

#include <algorithm>

namespace bmcp::signin {
namespace {

using brokers::AccessToken;

AccessToken result(AccessToken::Status status, std::string message, std::string token = {}) {
  AccessToken t;
  t.status = status;
  t.message = std::move(message);
  t.token = std::move(token);
  return t;
}

// A token to hand out, with when the sign-in it belongs to ends.
AccessToken usable(std::optional<std::int64_t> signin_expires_at, std::string token) {
  AccessToken t = result(AccessToken::Status::Ok, "", std::move(token));
  t.signin_expires_at_ms = signin_expires_at;
  return t;
}

std::string broker_name(const BrokerSettings* broker, const std::string& provider) {
  return broker ? broker->display_name : provider;
}

std::string reauth_message(const std::string& name) {
  return "Your " + name +
         " sign-in has expired or was revoked, so this server can no longer reach "
         "your account. Reconnect this server in your app and sign in at " +
         name + " again." +
         (name == "Charles Schwab" ? " (Schwab asks for a new sign-in every 7 days.)" : "");
}

// Refresh ahead: 5 minutes before expiry, or half of the token's life when that is shorter.
std::int64_t refresh_due_at(const storage::BrokerTokenRow& row) {
  std::int64_t life = std::max<std::int64_t>(0, row.access_expires_at - row.updated_at);
  std::int64_t margin = std::min(kRefreshAheadMs, life / 2);
  return row.access_expires_at - margin;
}
bool due_for_refresh(const storage::BrokerTokenRow& row, std::int64_t now) {
  return now >= refresh_due_at(row);
}

}  // namespace

Task<AccessToken> BrokerTokenStore::access_token(Io& io, const std::string& user_id,
                                                 const std::string& provider) const {
  const BrokerSettings* broker = settings_.broker(provider);
  const std::string name = broker_name(broker, provider);
  if (!broker || !broker->enabled)
    co_return result(AccessToken::Status::Unavailable,
                     "This server is not set up to connect to " + name + ".");
  if (std::optional<BrokerTokenCache::Entry> cached = cache_.find(user_id, provider, io.now_ms()))
    co_return usable(cached->signin_expires_at_ms, cached->access_token);
  // From here on the row is read and may change: what this isolate remembered is not used.
  cache_.forget(user_id, provider);
  const std::int64_t deadline = io.now_ms() + kRefreshWaitMs;
  std::int64_t delay = 25;

  for (int round = 0; round < 1000; ++round) {
    storage::Lookup<storage::BrokerTokenRow> found =
        co_await storage::read_broker_tokens(io, user_id, provider);
    if (!found.storage_ok)
      co_return result(AccessToken::Status::Unavailable,
                       "The server's storage is not answering. Try again in a moment.");
    if (!found.row)
      co_return result(AccessToken::Status::NotSignedIn,
                       "You are not signed in to " + name +
                           " on this server. Reconnect this server in your app and sign in.");
    const storage::BrokerTokenRow& row = *found.row;
    if (!row.invalid_reason.empty())
      co_return result(AccessToken::Status::ReauthRequired, reauth_message(name));
    auto tokens =
        open_broker_tokens(io.crypto(), settings_.token_key, user_id, provider, row.sealed_tokens);
    if (!tokens)
      co_return result(AccessToken::Status::ReauthRequired,
                       "Your saved " + name +
                           " sign-in cannot be read on this server any more. Reconnect this server "
                           "in your app and sign in again.");

    const std::int64_t now = io.now_ms();
    const bool expired = now >= row.access_expires_at;
    if (!due_for_refresh(row, now)) {
      cache_.remember(user_id, provider, tokens->access_token, row.refresh_expires_at,
                      refresh_due_at(row), now);
      co_return usable(row.refresh_expires_at, tokens->access_token);
    }

    if (tokens->refresh_token.empty() ||
        (row.refresh_expires_at && now >= *row.refresh_expires_at)) {
      if (!expired) co_return usable(row.refresh_expires_at, tokens->access_token);
      std::string reason = "refresh token expired";
      log_.log(
          logging::LogLevel::kWarn, "broker token refresh",
          {{"broker", provider}, {"user", user_id}, {"outcome", "expired"}, {"reason", reason}});
      co_await storage::mark_refresh_expired(io, row, reason, now);
      if (grants_) grants_->forget_user(user_id);
      co_return result(AccessToken::Status::ReauthRequired, reauth_message(name));
    }

    if (row.refresh_lease_until && *row.refresh_lease_until > now) {
      // Someone else is refreshing right now.
      if (!expired) co_return usable(row.refresh_expires_at, tokens->access_token);
      if (now >= deadline)
        co_return result(
            AccessToken::Status::Unavailable,
            "Renewing your " + name + " sign-in is taking too long. Try again in a moment.");
      co_await host::sleep(io, delay);
      delay = std::min<std::int64_t>(delay * 2, 400);
      continue;
    }

    // From taking the lease to storing what the broker answered, this call must not stop:
    // a rotated refresh token exists only here until it is stored, and an abandoned lease
    // keeps everyone waiting. A critical section keeps the host from cancelling it.
    CriticalSection holding_lease(io);
    const std::string owner = crypto::hex_encode(io.crypto().random_bytes(16));
    storage::Write lease =
        co_await storage::acquire_refresh_lease(io, row, owner, now, now + kRefreshLeaseMs);
    if (!lease.storage_ok) {
      if (!expired) co_return usable(row.refresh_expires_at, tokens->access_token);
      co_return result(AccessToken::Status::Unavailable,
                       "The server's storage is not answering. Try again in a moment.");
    }
    if (!lease.applied) continue;  // another caller took the lease or wrote new tokens: look again

    // We hold the lease: this is the one refresh.
    BrokerTokenResponse refreshed =
        co_await refresh_broker_tokens(io, settings_, *broker, tokens->refresh_token);
    const std::int64_t after = io.now_ms();
    log_.log(
        refreshed.ok() ? logging::LogLevel::kInfo : logging::LogLevel::kWarn,
        "broker token refresh",
        {{"broker", provider},
         {"user", user_id},
         {"outcome", refreshed.ok()                                               ? "refreshed"
                     : refreshed.outcome == BrokerTokenResponse::Outcome::Refused ? "refused"
                                                                                  : "unavailable"},
         {"reason", refreshed.ok() ? "" : refreshed.detail},
         {"ms", after - now}});
    if (refreshed.outcome == BrokerTokenResponse::Outcome::Refused) {
      std::string reason = refreshed.detail;
      co_await storage::mark_refresh_refused(io, row, owner, reason, after);
      if (grants_) grants_->forget_user(user_id);
      co_return result(AccessToken::Status::ReauthRequired, reauth_message(name));
    }
    if (!refreshed.ok()) {
      co_await storage::release_refresh_lease(io, row, owner);
      if (after < row.access_expires_at)
        co_return usable(row.refresh_expires_at, tokens->access_token);
      co_return result(AccessToken::Status::Unavailable,
                       name +
                           " did not answer when this server tried to renew your sign-in. Try "
                           "again in a moment.");
    }
    BrokerTokens next{
        refreshed.access_token,
        refreshed.refresh_token.empty() ? tokens->refresh_token : refreshed.refresh_token,
        refreshed.scope.empty() ? tokens->scope : refreshed.scope};
    auto sealed = seal_broker_tokens(io.crypto(), settings_.token_key, user_id, provider, next);
    if (!sealed)
      co_return result(AccessToken::Status::Unavailable, "The renewed sign-in could not be saved.");
    // The broker may have rotated the refresh token: the old one is dead, so these tokens
    // must reach D1. A storage failure is retried (with backoff, inside the lease).
    storage::Write stored;
    for (int attempt = 0; attempt < kStoreAttempts; ++attempt) {
      if (attempt > 0) co_await host::sleep(io, kStoreRetryDelayMs << (attempt - 1));
      stored = co_await storage::store_refreshed_tokens(io, row, owner, *sealed,
                                                        after + refreshed.expires_in_seconds * 1000,
                                                        row.refresh_expires_at, io.now_ms());
      if (stored.storage_ok) break;
    }
    if (!stored.storage_ok)
      co_return result(AccessToken::Status::Unavailable,
                       "The renewed sign-in could not be saved. Try again in a moment.");
    if (!stored.applied) continue;  // the person signed in again meanwhile: use those tokens
    co_return usable(row.refresh_expires_at, next.access_token);
  }
  co_return result(AccessToken::Status::Unavailable,
                   "Your " + name + " sign-in could not be renewed. Try again.");
}

Task<brokers::SigninHealth> BrokerTokenStore::signin_health(Io& io, const std::string& user_id,
                                                            const std::string& provider) const {
  brokers::SigninHealth health;
  // A token this isolate holds is one of a sign-in that was usable seconds ago.
  if (std::optional<BrokerTokenCache::Entry> cached = cache_.find(user_id, provider, io.now_ms())) {
    health.expires_at_ms = cached->signin_expires_at_ms;
    const bool ended = health.expires_at_ms && io.now_ms() >= *health.expires_at_ms;
    health.state = ended ? brokers::SigninHealth::State::ReauthRequired
                         : brokers::SigninHealth::State::SignedIn;
    co_return health;
  }
  storage::Lookup<storage::BrokerTokenRow> found =
      co_await storage::read_broker_tokens(io, user_id, provider);
  if (!found.storage_ok) co_return health;
  if (!found.row) {
    health.state = brokers::SigninHealth::State::NotSignedIn;
    co_return health;
  }
  const storage::BrokerTokenRow& row = *found.row;
  health.expires_at_ms = row.refresh_expires_at;
  const std::int64_t now = io.now_ms();
  const bool ended = health.expires_at_ms && now >= *health.expires_at_ms;
  health.state = !row.invalid_reason.empty() || ended ? brokers::SigninHealth::State::ReauthRequired
                                                      : brokers::SigninHealth::State::SignedIn;
  // A usable token is remembered here as access_token() would (the next tool call needs it).
  if (health.state == brokers::SigninHealth::State::SignedIn && !due_for_refresh(row, now))
    if (auto tokens = open_broker_tokens(io.crypto(), settings_.token_key, user_id, provider,
                                         row.sealed_tokens))
      cache_.remember(user_id, provider, tokens->access_token, row.refresh_expires_at,
                      refresh_due_at(row), now);
  co_return health;
}

Task<bool> BrokerTokenStore::invalidate(Io& io, const std::string& user_id,
                                        const std::string& provider,
                                        const std::string& rejected_token) const {
  cache_.forget(user_id, provider);  // the broker refused it: never hand it out again
  storage::Lookup<storage::BrokerTokenRow> found =
      co_await storage::read_broker_tokens(io, user_id, provider);
  if (!found.row) co_return false;
  auto tokens = open_broker_tokens(io.crypto(), settings_.token_key, user_id, provider,
                                   found.row->sealed_tokens);
  if (!tokens) co_return false;
  // Already replaced (a new sign-in, a refresh elsewhere): the stored token is worth a try.
  if (!io.crypto().constant_time_equal(tokens->access_token, rejected_token)) co_return true;
  co_await storage::expire_access_token(io, *found.row, io.now_ms());
  co_return false;
}

}  // namespace bmcp::signin
