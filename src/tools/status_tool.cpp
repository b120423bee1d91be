#include "tools/status_tool.hpp"

namespace bmcp::tools {

mcp::ToolDefinition make_status_tool(const app::Config& config) {
  mcp::ToolDefinition t;
  t.name = "status";
  t.title = "Server status";
  t.description =
      "Shows this server's version, which brokerage the signed-in person is connected to, "
      "whether trading is enabled, and the MCP protocol version in use. Call it first when "
      "something does not work.";
  t.annotations.read_only = true;
  t.annotations.open_world = false;
  t.output_schema = {
      {"type", "object"},
      {"properties",
       {{"server", {{"type", "string"}}},
        {"version", {{"type", "string"}}},
        {"protocolVersion", {{"type", "string"}}},
        {"broker", {{"type", "object"},
                    {"properties", {{"name", {{"type", "string"}}}, {"connected", {{"type", "boolean"}}}}}}},
        {"tradingMode", {{"type", "string"}, {"enum", {"confirm", "elicit", "disabled"}}}}}},
      {"required", {"server", "version", "protocolVersion", "broker", "tradingMode"}}};
  const std::string version = config.server_version;
  const std::string trading = app::trading_mode_name(config.trading_mode);
  t.handler = [version, trading](mcp::RequestContext& ctx, const Json&) -> Task<mcp::ToolResult> {
    const auto& p = ctx.principal();
    Json broker = {{"name", p.broker.empty() ? "none" : p.broker}, {"connected", !p.broker.empty()}};
    co_return mcp::ToolResult::structured_json({{"server", "broker-mcp"},
                                                {"version", version},
                                                {"protocolVersion", ctx.protocol_version()},
                                                {"broker", broker},
                                                {"tradingMode", trading}});
  };
  return t;
}

}  // namespace bmcp::tools
