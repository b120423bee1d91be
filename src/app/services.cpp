#include "app/services.hpp"

namespace bmcp::app {
namespace {

// Until a person has signed in through the OAuth flow there are no broker tokens; this
// answers every request for one with "not signed in".
class NoBrokerAccess final : public brokers::BrokerAccess {
 public:
  Task<brokers::AccessToken> access_token(Io&, const std::string&, const std::string& provider) const override {
    brokers::AccessToken t;
    t.status = brokers::AccessToken::Status::NotSignedIn;
    t.message = "You are not signed in to " + provider + ". Reconnect this server and sign in at your broker.";
    co_return t;
  }
  Task<void> invalidate(Io&, const std::string&, const std::string&, const std::string&) const override { co_return; }
};

}  // namespace

Services make_services(const Config&) {
  Services s;
  s.broker_access = std::make_unique<NoBrokerAccess>();
  return s;
}

}  // namespace bmcp::app
