// `status`: what this server is and how it is connected — server version, the broker the
// person signed in with (or none), how that sign-in stands (signed in, when it ends and what
// to do; read from storage, nothing refreshed), the protocol version in use. Read-only,
// structured. What it reports of the deployment comes in StatusSettings (filled by the app
// from its configuration, app/module_settings.hpp); this module reads no configuration.
#pragma once

#include "brokers/broker_access.hpp"
#include "mcp/catalog.hpp"

#include <string>

namespace bmcp::tools {

struct StatusSettings {
  std::string server_version = "0.1.0";
  std::string trading_mode = "confirm";  // as TRADING_MODE: confirm, elicit or disabled
};

// `access` (may be null: no sign-in in this build) must outlive the tool.
mcp::ToolDefinition make_status_tool(const StatusSettings& settings,
                                     const brokers::BrokerAccess* access = nullptr);

}  // namespace bmcp::tools
