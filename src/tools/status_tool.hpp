// `status`: what this server is and how it is connected — server version, the broker the
// person signed in with (or none), how that sign-in stands (signed in, when it ends and what
// to do; read from storage, nothing refreshed), the protocol version in use. Read-only,
// structured.
#pragma once

#include "app/config.hpp"
#include "brokers/broker_access.hpp"
#include "mcp/catalog.hpp"

namespace bmcp::tools {

// `access` (may be null: no sign-in in this build) must outlive the tool.
mcp::ToolDefinition make_status_tool(const app::Config& config, const brokers::BrokerAccess* access = nullptr);

}  // namespace bmcp::tools
