// Services: the long-lived collaborators the catalogs' handlers use (broker access, …),
// owned by the App and built once per configuration. Handlers capture references to
// them; the App outlives every call that uses it (bindings/abi.cpp keeps it alive).
#pragma once

#include "app/config.hpp"
#include "brokers/account_map_cache.hpp"
#include "brokers/broker_access.hpp"
#include "logging/logger.hpp"
#include "mcp/session_cache.hpp"
#include "oauth/grant_cache.hpp"
#include "oauth/verified_jwt_cache.hpp"

#include <memory>

namespace bmcp::app {

struct Services {
  // Grants the bearer check recently found alive (a few seconds), shared with what ends
  // grants and broker sign-ins in this instance.
  std::unique_ptr<oauth::GrantCache> grant_cache;
  // Access tokens whose signature the bearer check verified in the last minutes
  // (oauth/verified_jwt_cache.hpp); per configuration, so per signing secret.
  std::unique_ptr<oauth::VerifiedJwtCache> verified_tokens;
  // The session records this isolate serves session requests from (mcp/session_cache.hpp).
  std::unique_ptr<mcp::SessionCache> session_cache;
  // The person's broker tokens: signin::BrokerTokenStore (refresh ahead of expiry,
  // single-flight across isolates, sealed at rest). Without sign-in (the conformance
  // fixture) nobody has broker tokens.
  std::unique_ptr<brokers::BrokerAccess> broker_access;
  // The people's account maps this isolate read or built recently (a minute), for the
  // broker tools and the output guard (brokers/account_map_cache.hpp).
  std::unique_ptr<brokers::AccountMapCache> account_maps;
  // Where sign-in steps and broker token refreshes are logged (LOG_LEVEL applies).
  logging::Logger log = logging::null_logger();
};

// `sink`: the host's log (nullptr logs nowhere).
Services make_services(const Config& config, const logging::LogSink* sink = nullptr);

}  // namespace bmcp::app
