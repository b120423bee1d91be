#include "app/services.hpp"

#include "privacy/log_level.hpp"
#include "signin/broker_token_store.hpp"

namespace bmcp::app {
namespace {

// Without sign-in there are no broker tokens; this answers every request for one with
// "not signed in".
class NoBrokerAccess final : public brokers::BrokerAccess {
 public:
  Task<brokers::AccessToken> access_token(Io&, const std::string&,
                                          const std::string& provider) const override {
    brokers::AccessToken t;
    t.status = brokers::AccessToken::Status::NotSignedIn;
    t.message = "You are not signed in to " + provider +
                ". Reconnect this server and sign in at your broker.";
    co_return t;
  }
  Task<bool> invalidate(Io&, const std::string&, const std::string&,
                        const std::string&) const override {
    co_return false;
  }
};

}  // namespace

Services make_services(const Config& config, const logging::LogSink* sink) {
  Services s;
  if (sink)
    s.log = logging::Logger(
        *sink, privacy::parse_log_level(config.log_level).value_or(privacy::LogLevel::kInfo));
  s.grant_cache = std::make_unique<oauth::GrantCache>();
  s.verified_tokens = std::make_unique<oauth::VerifiedJwtCache>();
  s.session_cache = std::make_unique<mcp::SessionCache>();
  s.account_maps = std::make_unique<brokers::AccountMapCache>();
  if (config.auth_required)
    s.broker_access =
        std::make_unique<signin::BrokerTokenStore>(config.signin, s.grant_cache.get(), s.log);
  else s.broker_access = std::make_unique<NoBrokerAccess>();
  return s;
}

}  // namespace bmcp::app
