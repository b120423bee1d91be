// McpServer: the MCP method dispatcher (spec 2025-11-25 server/* and basic/utilities/*).
// Given one classified request or notification and the session it belongs to, produces
// the JSON-RPC response (or nothing, for notifications). It validates params, paginates
// lists, validates tool arguments against their input schemas, and turns every handler
// outcome into a response; transports (session_host.hpp, session_in_isolate.hpp, stateless.hpp) own
// the wire. Scopes are enforced here, for every transport: tools/list shows only the tools the
// principal's grant covers (ToolDefinition::required_scope), and tools/call of any other
// tool is refused as insufficient_scope before its arguments are even looked at.
#pragma once

#include "mcp/catalog.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/session_state.hpp"

#include <functional>
#include <optional>
#include <string>

namespace bmcp::mcp {

struct ServerOptions {
  std::size_t page_size = 50;  // list pagination (server/utilities/pagination)
};

// The refusal for a tool (or mutation) the grant's scope does not cover: names the
// missing scope and says, in plain words, that nothing was sent and how to get it.
std::string insufficient_scope_message(std::string_view tool, std::string_view scope);

class McpServer {
 public:
  explicit McpServer(const Catalog& catalog, ServerOptions options = {})
      : catalog_(catalog), options_(options) {}

  // The InitializeResult for `params`; the negotiated version goes into `session`.
  Json initialize(const Json& params, SessionState& session) const;
  // Capabilities this server declares (also used by server/discover).
  Json capabilities() const;

  // Handles a request and returns its response message. May change `session`
  // (log level, subscriptions); the transport persists it. The response, and everything
  // sent to the client meanwhile, has passed the catalog's output guard.
  Task<Json> handle_request(const RpcMessage& request, SessionState& session,
                            RequestContext& context) const;

  // For a listing (tools/list, prompts/list, resources/list, resources/templates/list):
  // the whole response message as JSON text, exactly what handle_request's answer would
  // serialize to, with `finish` applied to its result (an era's decorations). The result
  // is serialized once per page, era and set of visible tools and kept in the catalog, so
  // a listing costs one lookup and a splice. nullopt for any other method or an invalid
  // cursor (handle_request answers those).
  using FinishResult = std::function<void(Json& result)>;
  std::optional<std::string> listing_text(const RpcMessage& request, const RequestContext& context,
                                          const FinishResult& finish = nullptr) const;

 private:
  Task<Json> dispatch(const RpcMessage& request, SessionState& session,
                      RequestContext& context) const;
  Task<Json> guard_response(const RpcMessage& request, Json response,
                            RequestContext& context) const;
  Task<Json> call_tool(const RpcMessage& request, RequestContext& context) const;
  Task<Json> read_resource(const RpcMessage& request, RequestContext& context) const;
  Task<Json> get_prompt(const RpcMessage& request, RequestContext& context) const;
  Json complete(const RpcMessage& request) const;
  std::optional<Json> listing(const RpcMessage& request, const RequestContext& context) const;
  template <class Item>
  Json paginate(const RpcMessage& request, const std::vector<Item>& items, const char* field) const;

  const Catalog& catalog_;
  ServerOptions options_;
};

}  // namespace bmcp::mcp
