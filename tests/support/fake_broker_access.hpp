// The broker-access double every broker's tests use: hands out the person's access token
// and records what the core asked of it. A person signed in with `signed_in_with` (empty:
// any broker) gets a token — `token_for(user)` when set, else "tok-1"; with
// `first_remembered`, "tok-1" was already replaced by "tok-2" in storage (a sign-in
// elsewhere while this isolate remembered tok-1): invalidating tok-1 says so, and later
// tokens are tok-2.
#pragma once

#include "brokers/broker_access.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace bmcp::testing {

class FakeBrokerAccess final : public brokers::BrokerAccess {
 public:
  brokers::AccessToken::Status status = brokers::AccessToken::Status::Ok;
  std::string signed_in_with;
  std::function<std::string(const std::string& user)> token_for;
  std::optional<std::int64_t> signin_expires_at_ms;  // when the person's sign-in ends
  bool first_remembered = false;
  mutable std::vector<std::string> invalidated;
  mutable int token_requests = 0;

  Task<brokers::AccessToken> access_token(Io&, const std::string& user,
                                          const std::string& provider) const override {
    ++token_requests;
    brokers::AccessToken t;
    t.status = signed_in_with.empty() || provider == signed_in_with
                   ? status
                   : brokers::AccessToken::Status::NotSignedIn;
    t.signin_expires_at_ms = signin_expires_at_ms;
    if (t.status == brokers::AccessToken::Status::Ok)
      t.token = token_for                                ? token_for(user)
                : first_remembered && token_requests > 1 ? "tok-2"
                                                         : "tok-1";
    co_return t;
  }
  Task<bool> invalidate(Io&, const std::string&, const std::string&,
                        const std::string& token) const override {
    invalidated.push_back(token);
    co_return (first_remembered && token == "tok-1");
  }
};

}  // namespace bmcp::testing
