// Catalog: the tools, resources, resource templates and prompts a server offers, with
// their handlers. Definitions are data (names, schemas, annotations) plus one handler
// each; the dispatcher (server.hpp) does validation, pagination and error mapping, so
// handlers only do their own work.
#pragma once

#include "base/json.hpp"
#include "effects/task.hpp"
#include "mcp/cache_hints.hpp"
#include "mcp/output_guard.hpp"
#include "mcp/request_context.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

namespace bmcp::mcp {

// MCP 2025-11-25 schema.ts ToolAnnotations; unset hints are left out of the listing.
struct ToolAnnotations {
  std::optional<bool> read_only;
  std::optional<bool> destructive;
  std::optional<bool> idempotent;
  std::optional<bool> open_world;
};

struct ToolResult {
  Json content = Json::array();
  std::optional<Json> structured;
  bool is_error = false;

  static ToolResult text(std::string text);
  static ToolResult error(std::string message);
  // structuredContent plus its serialization as text (server/tools#structured-content).
  static ToolResult structured_json(Json value);
  Json to_json() const;
};

using ToolHandler = std::function<Task<ToolResult>(RequestContext&, const Json& arguments)>;

struct ToolDefinition {
  std::string name;
  std::string title;
  std::string description;
  Json input_schema = Json{{"type", "object"}, {"additionalProperties", false}};
  Json output_schema;  // null: no structured output
  ToolAnnotations annotations;
  // The OAuth scope a grant must hold to see and call this tool (e.g. "brokerage:trade"
  // for every tool that changes something at the broker); empty: any grant. Enforced by
  // McpServer for tools/list and tools/call, never by the tool itself.
  std::string required_scope;
  // A client capability (a member of clientCapabilities, e.g. "sampling") the tool cannot
  // work without: a call from a client that did not declare it is refused with
  // MissingRequiredClientCapabilityError (-32021) and never run (basic/versioning
  // 2026-07-28: a server MUST NOT rely on capabilities the client did not declare).
  std::string required_client_capability;
  // True when the tool needs the session object even though it only reads: its answer
  // depends on the way back to the client (an order preview says whether the person will
  // be asked to confirm by elicitation), or it runs long enough that a cancellation must
  // reach it. Such calls are never answered outside the session's object
  // (session_in_isolate.hpp).
  bool needs_session_object = false;
  ToolHandler handler;
  Json to_json() const;
};

struct ResourceContents {
  std::optional<Json> contents;  // array of {uri, mimeType, text|blob}; nullopt: not found
  // How long a 2026-07-28 client may reuse this read (cache_hints.hpp); by default it is
  // live data, for this person only.
  CacheHint cache;
  static ResourceContents not_found() { return {}; }
  static ResourceContents text(std::string uri, std::string mime_type, std::string text);
};

using ResourceReader = std::function<Task<ResourceContents>(
    RequestContext&, const std::string& uri, const std::map<std::string, std::string>& vars)>;

struct ResourceDefinition {
  std::string uri;
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
  ResourceReader read;
  // True when this server tells listeners that the resource changed
  // (notifications/resources/updated: mcp/subscriptions.hpp); a resource nobody announces
  // changes of is never acknowledged in a subscription.
  bool subscribable = false;
  Json to_json() const;
};

// uri_template is RFC 6570 level 1 ({var} expands to one segment without '/').
struct ResourceTemplateDefinition {
  std::string uri_template;
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
  ResourceReader read;
  // Candidate values for a template variable (completion/complete); may be empty.
  std::function<std::vector<std::string>(const std::string& var, const std::string& prefix)>
      complete;
  Json to_json() const;
};

// Matches `uri` against a level-1 template; the variables on success.
std::optional<std::map<std::string, std::string>> match_uri_template(std::string_view tmpl,
                                                                     std::string_view uri);

struct PromptArgument {
  std::string name;
  std::string description;
  bool required = false;
};

using PromptHandler =
    std::function<Task<Json>(RequestContext&, const std::map<std::string, std::string>& args)>;

struct PromptDefinition {
  std::string name;
  std::string title;
  std::string description;
  std::vector<PromptArgument> arguments;
  PromptHandler get;  // returns {description?, messages:[…]}
  std::function<std::vector<std::string>(const std::string& arg, const std::string& prefix)>
      complete;
  Json to_json() const;
};

struct ServerIdentity {
  std::string name = "broker-mcp";
  std::string title = "Broker MCP";
  std::string version = "0.1.0";
  std::string instructions;
};

struct Catalog {
  ServerIdentity identity;
  std::vector<ToolDefinition> tools;
  std::vector<ResourceDefinition> resources;
  std::vector<ResourceTemplateDefinition> resource_templates;
  std::vector<PromptDefinition> prompts;
  // What every answer passes before it leaves (output_guard.hpp); null: nothing to protect
  // (test fixtures).
  std::shared_ptr<const OutputGuard> output_guard;
  // Listing results already serialized, built on first use (McpServer::listing_text): the
  // catalog never changes while it serves, so neither do they.
  mutable std::unordered_map<std::string, std::string> listing_texts;

  const ToolDefinition* find_tool(std::string_view name) const;
  const PromptDefinition* find_prompt(std::string_view name) const;
};

}  // namespace bmcp::mcp
