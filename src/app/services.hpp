// Services: the long-lived collaborators the catalogs' handlers use (broker access, …),
// owned by the App and built once per configuration. Handlers capture references to
// them; the App outlives every call that uses it (bindings/abi.cpp keeps it alive).
#pragma once

#include "app/config.hpp"
#include "brokers/broker_access.hpp"

#include <memory>

namespace bmcp::app {

struct Services {
  std::unique_ptr<brokers::BrokerAccess> broker_access;
};

Services make_services(const Config& config);

}  // namespace bmcp::app
