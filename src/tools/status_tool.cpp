#include "tools/status_tool.hpp"

#include "brokers/broker.hpp"
#include "brokers/signin_expiry.hpp"
#include "brokers/upstream/dates.hpp"

namespace bmcp::tools {
namespace {

std::string broker_label(const std::string& broker) {
  const std::string_view label = brokers::broker_label(brokers::broker_named(broker));
  return label.empty() ? broker : std::string(label);
}

// The `signIn` object of the answer: state, when it ends, and what to do, in plain words.
Json describe_sign_in(const std::string& broker, const brokers::SigninHealth& health,
                      std::int64_t now_ms) {
  using State = brokers::SigninHealth::State;
  const std::string label = broker_label(broker);
  Json out = {{"endsAt", nullptr}};
  switch (health.state) {
    case State::Unknown:
      out["state"] = "unknown";
      out["advice"] =
          "The sign-in could not be checked just now; tools will say if it stopped working.";
      return out;
    case State::NotSignedIn:
      out["state"] = "not signed in";
      out["advice"] = "Reconnect this server in your app and sign in at " + label + ".";
      return out;
    case State::ReauthRequired:
      out["state"] = "sign in again";
      out["advice"] = "Your " + label +
                      " sign-in has ended. Reconnect this server in your app and sign in at " +
                      label + " again.";
      return out;
    case State::SignedIn: break;
  }
  out["state"] = "signed in";
  if (!health.expires_at_ms) {
    out["ends"] = "does not end by itself";
    out["advice"] = "Nothing to do. Signing out at " + label + " (or deleting its grant) ends it.";
    return out;
  }
  out["endsAt"] = upstream::format_iso_ms(*health.expires_at_ms);
  out["ends"] = brokers::time_until(*health.expires_at_ms, now_ms);
  std::string notice = brokers::signin_expiry_notice(label, *health.expires_at_ms, now_ms);
  out["advice"] = notice.empty()
                      ? label +
                            " asks for a new sign-in every 7 days; reconnect this server in your "
                            "app before " +
                            out["endsAt"].get<std::string>() + "."
                      : notice;
  return out;
}

}  // namespace

mcp::ToolDefinition make_status_tool(const StatusSettings& settings,
                                     const brokers::BrokerAccess* access) {
  mcp::ToolDefinition t;
  t.name = "status";
  t.title = "Server status";
  t.description =
      "Shows this server's version, which brokerage the signed-in person is connected to, whether "
      "that "
      "sign-in works and when it ends (Schwab: 7 days after signing in), whether trading is "
      "enabled, and the "
      "MCP protocol version in use. Call it first when something does not work.";
  t.annotations.read_only = true;
  t.annotations.open_world = false;
  const Json nullable_string = {{"anyOf", Json::array({{{"type", "string"}}, {{"type", "null"}}})}};
  t.output_schema = {
      {"type", "object"},
      {"properties",
       {{"server", {{"type", "string"}}},
        {"version", {{"type", "string"}}},
        {"protocolVersion", {{"type", "string"}}},
        {"broker",
         {{"type", "object"},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"connected", {{"type", "boolean"}}},
            {"signIn",
             {{"type", "object"},
              {"description",
               "How the broker sign-in stands: state, when it ends (ISO time, null when it does "
               "not end by itself) and what to do."},
              {"properties",
               {{"state",
                 {{"type", "string"},
                  {"enum", {"signed in", "not signed in", "sign in again", "unknown"}}}},
                {"endsAt", nullable_string},
                {"ends", {{"type", "string"}}},
                {"advice", {{"type", "string"}}}}},
              {"required", {"state", "endsAt", "advice"}}}}}}}},
        {"tradingMode", {{"type", "string"}, {"enum", {"confirm", "elicit", "disabled"}}}}}},
      {"required", {"server", "version", "protocolVersion", "broker", "tradingMode"}}};
  const std::string version = settings.server_version;
  const std::string trading = settings.trading_mode;
  t.handler = [version, trading, access](mcp::RequestContext& ctx,
                                         const Json&) -> Task<mcp::ToolResult> {
    const auto& p = ctx.principal();
    Json broker = {{"name", p.broker.empty() ? "none" : p.broker},
                   {"connected", !p.broker.empty()}};
    if (access && !p.broker.empty()) {
      std::string user = p.user_id, provider = p.broker;
      brokers::SigninHealth health = co_await access->signin_health(ctx.io(), user, provider);
      broker["signIn"] = describe_sign_in(p.broker, health, ctx.io().now_ms());
    }
    co_return mcp::ToolResult::structured_json({{"server", "broker-mcp"},
                                                {"version", version},
                                                {"protocolVersion", ctx.protocol_version()},
                                                {"broker", broker},
                                                {"tradingMode", trading}});
  };
  return t;
}

}  // namespace bmcp::tools
