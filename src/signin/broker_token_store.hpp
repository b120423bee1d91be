// BrokerTokenStore: the BrokerAccess the tools use (brokers/broker_access.hpp). It reads the
// person's sealed broker tokens from D1 and hands out an access token, refreshing it ahead
// of expiry (5 minutes before, or half the token's life when that is shorter).
//
// Refresh is single-flight per person and broker across every isolate: the caller that wins
// the D1 lease (storage/broker_tokens_table.hpp) refreshes; the others keep using the
// current token while it is still valid, or wait (host::sleep, polling D1) until the new
// version is written. The new tokens are stored before anyone uses them, and are never
// thrown away: the lease is an owner token and the store is conditioned on holding it (an
// invalidation meanwhile does not make it miss), a storage failure is retried, and the
// lease holder runs in a critical section (effects/critical_section.hpp) so it is not
// cancelled between the refresh and the store. When the broker
// refuses the refresh token, the row is marked so every later request learns at once that
// the person must sign in again (the bearer check then answers 401 invalid_token).
// Every refresh attempt logs one line "broker token refresh" with its outcome and the
// broker's reason code (never a token). A usable token is kept in the isolate for a few
// seconds (broker_token_cache.hpp), so most tool calls do not read D1 for it.
#pragma once

#include "brokers/broker_access.hpp"
#include "logging/logger.hpp"
#include "oauth/grant_cache.hpp"
#include "signin/broker_token_cache.hpp"
#include "signin/broker_settings.hpp"

namespace bmcp::signin {

inline constexpr std::int64_t kRefreshAheadMs = 5 * 60 * 1000;
inline constexpr std::int64_t kRefreshLeaseMs = 30 * 1000;
inline constexpr std::int64_t kRefreshWaitMs = 20 * 1000;
inline constexpr int kStoreAttempts = 4;                 // the store of refreshed tokens, in all
inline constexpr std::int64_t kStoreRetryDelayMs = 100;  // then 200, 400 ms

class BrokerTokenStore final : public brokers::BrokerAccess {
 public:
  // `grants` (may be null): the bearer check's cache, told at once when a person's broker
  // sign-in stops working so their next MCP request is refused.
  explicit BrokerTokenStore(SigninSettings settings, oauth::GrantCache* grants = nullptr,
                            logging::Logger log = logging::null_logger())
      : settings_(std::move(settings)), grants_(grants), log_(log) {}

  Task<brokers::AccessToken> access_token(Io& io, const std::string& user_id,
                                          const std::string& provider) const override;
  Task<bool> invalidate(Io& io, const std::string& user_id, const std::string& provider,
                        const std::string& rejected_token) const override;
  Task<brokers::SigninHealth> signin_health(Io& io, const std::string& user_id,
                                            const std::string& provider) const override;
  void forget_remembered() const override { cache_.clear(); }

 private:
  SigninSettings settings_;
  oauth::GrantCache* grants_;
  logging::Logger log_;
  // Usable tokens read recently in this isolate (broker_token_cache.hpp). The store is
  // shared by every call of the instance and otherwise immutable, hence `mutable`.
  mutable BrokerTokenCache cache_;
};

}  // namespace bmcp::signin
