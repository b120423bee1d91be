// `status`: what this server is and how it is connected — server version, the broker the
// person signed in with (or none), the protocol version in use. Read-only, structured.
#pragma once

#include "app/config.hpp"
#include "mcp/catalog.hpp"

namespace bmcp::tools {

mcp::ToolDefinition make_status_tool(const app::Config& config);

}  // namespace bmcp::tools
