// BrokerAccess: how a broker tool gets a usable access token for the signed-in person.
// Implemented by the sign-in module's token store (refresh ahead of expiry, single-flight
// per user and broker, tokens sealed at rest); faked in tests. Tools never see refresh
// tokens, and never store an access token anywhere.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace bmcp::brokers {

struct AccessToken {
  enum class Status {
    Ok,
    NotSignedIn,     // no broker tokens for this person and broker
    ReauthRequired,  // the broker refused the refresh token (expired or revoked grant)
    Unavailable,     // storage or the broker's token endpoint is unreachable; retry later
  };
  Status status = Status::NotSignedIn;
  std::string token;    // when Ok
  std::string message;  // plain words for the person when not Ok
  // When the broker sign-in itself ends (Schwab: 7 days after signing in); nullopt when it
  // does not end by itself (tastytrade).
  std::optional<std::int64_t> signin_expires_at_ms;
};

// How a person's sign-in at one broker stands, for the status tool.
struct SigninHealth {
  enum class State {
    Unknown,         // this server cannot tell (no sign-in store, or storage did not answer)
    NotSignedIn,     // never signed in at this broker here
    SignedIn,        // tokens stored and usable
    ReauthRequired,  // the broker refused the refresh token, or the sign-in ended
  };
  State state = State::Unknown;
  std::optional<std::int64_t> expires_at_ms;  // as AccessToken::signin_expires_at_ms
};

class BrokerAccess {
 public:
  virtual ~BrokerAccess() = default;
  // `provider` is "schwab" or "tastytrade".
  virtual Task<AccessToken> access_token(Io& io, const std::string& user_id,
                                         const std::string& provider) const = 0;
  // Called when the broker answered 401 to a token we handed out: the next
  // access_token() must not return it again (it refreshes or reports ReauthRequired).
  // True when the stored token was already another one (a new sign-in or a refresh
  // replaced the rejected token): the caller may try once more with access_token().
  virtual Task<bool> invalidate(Io& io, const std::string& user_id, const std::string& provider,
                                const std::string& rejected_token) const = 0;
  // Someone signed in at a broker through this isolate (new tokens are stored): whatever
  // this isolate remembered of anyone's tokens is dropped (the next calls read storage).
  virtual void forget_remembered() const {}
  // Reads the stored sign-in without refreshing anything.
  virtual Task<SigninHealth> signin_health(Io& io, const std::string& user_id,
                                           const std::string& provider) const {
    (void)io, (void)user_id, (void)provider;
    co_return SigninHealth{};
  }
};

}  // namespace bmcp::brokers
