#include "mcp/server.hpp"

#include "mcp/cache_hints.hpp"
#include "mcp/json_schema.hpp"
#include "mcp/protocol_version.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

namespace bmcp::mcp {
namespace {

// Cursors are opaque to clients (server/utilities/pagination); ours encode an offset.
std::optional<std::size_t> decode_cursor(const Json& params) {
  const Json* cursor = find_member(params, "cursor");
  if (!cursor || cursor->is_null()) return 0;
  auto text = as_string(*cursor);
  if (!text || text->size() < 2 || (*text)[0] != 'o') return std::nullopt;
  std::size_t offset = 0;
  auto [p, ec] = std::from_chars(text->data() + 1, text->data() + text->size(), offset);
  if (ec != std::errc() || p != text->data() + text->size()) return std::nullopt;
  return offset;
}

Json item_json(const ToolDefinition* tool) { return tool->to_json(); }
template <class Item>
Json item_json(const Item& item) {
  return item.to_json();
}

// The tools this principal's grant covers (ToolDefinition::required_scope): a read-only
// grant is never shown a tool it could not call.
std::vector<const ToolDefinition*> visible_tools(const Catalog& catalog,
                                                 const Principal& principal) {
  std::vector<const ToolDefinition*> out;
  out.reserve(catalog.tools.size());
  for (const auto& t : catalog.tools)
    if (principal.grants(t.required_scope)) out.push_back(&t);
  return out;
}

// A 2026-07-28 result of a cacheable method carries its caching hint (cache_hints.hpp);
// session-era results stay as those revisions define them.
Json with_cache_hint(Json response, const RequestContext& context, CacheHint hint) {
  if (context.protocol_version() != kStatelessVersion) return response;
  if (auto it = response.find("result"); it != response.end() && it->is_object())
    put_cache_hint(*it, hint);
  return response;
}

}  // namespace

// RFC 6750 §3.1 names this error insufficient_scope; it is answered as a tool execution
// error so the model can tell the person why, in plain words.
std::string insufficient_scope_message(std::string_view tool, std::string_view scope) {
  return "insufficient_scope: " + std::string(tool) + " needs the " + std::string(scope) +
         " permission, and this app was not given it: the person approved read-only access, so it "
         "can "
         "look at accounts, balances, positions and orders but cannot place, change or cancel "
         "orders. "
         "Nothing was sent. To trade, the person can disconnect the app and connect it again, "
         "allowing "
         "trading on the approval page.";
}

Json McpServer::capabilities() const {
  Json caps = {{"logging", Json::object()}, {"completions", Json::object()}};
  caps["tools"] = {{"listChanged", false}};
  caps["resources"] = {{"subscribe", true}, {"listChanged", false}};
  caps["prompts"] = {{"listChanged", false}};
  return caps;
}

Json McpServer::initialize(const Json& params, SessionState& session) const {
  std::string requested = get_string(params, "protocolVersion").value_or("");
  session.protocol_version = std::string(negotiate(requested));
  if (const Json* caps = find_member(params, "capabilities"); caps && caps->is_object())
    session.client_capabilities = *caps;
  if (const Json* info = find_member(params, "clientInfo"); info && info->is_object())
    session.client_info = *info;
  Json result = {{"protocolVersion", session.protocol_version},
                 {"capabilities", capabilities()},
                 {"serverInfo",
                  {{"name", catalog_.identity.name},
                   {"title", catalog_.identity.title},
                   {"version", catalog_.identity.version}}}};
  if (!catalog_.identity.instructions.empty())
    result["instructions"] = catalog_.identity.instructions;
  return result;
}

template <class Item>
Json McpServer::paginate(const RpcMessage& request, const std::vector<Item>& items,
                         const char* field) const {
  auto offset = decode_cursor(request.params);
  if (!offset || *offset > items.size())
    return make_error(request.id, rpc_error::kInvalidParams, "Invalid params: unknown cursor");
  Json list = Json::array();
  std::size_t end = std::min(items.size(), *offset + options_.page_size);
  for (std::size_t i = *offset; i < end; ++i) list.push_back(item_json(items[i]));
  Json result = {{field, std::move(list)}};
  if (end < items.size()) result["nextCursor"] = "o" + std::to_string(end);
  return make_result(request.id, std::move(result));
}

// The one choke point: whatever a handler produced, and whatever it sends to the client
// while it runs, passes the catalog's output guard (output_guard.hpp) before it leaves.
Task<Json> McpServer::handle_request(const RpcMessage& request, SessionState& session,
                                     RequestContext& context) const {
  context.set_output_guard(catalog_.output_guard.get());
  Json response = co_await dispatch(request, session, context);
  co_return co_await guard_response(request, std::move(response), context);
}

Task<Json> McpServer::guard_response(const RpcMessage& request, Json response,
                                     RequestContext& context) const {
  const OutputGuard* guard = catalog_.output_guard.get();
  // Listings and acknowledgements carry only the catalog's own static text.
  static constexpr std::array<std::string_view, 9> kStatic = {"ping",
                                                              "initialize",
                                                              "tools/list",
                                                              "resources/list",
                                                              "resources/templates/list",
                                                              "prompts/list",
                                                              "logging/setLevel",
                                                              "resources/subscribe",
                                                              "resources/unsubscribe"};
  if (!guard || std::find(kStatic.begin(), kStatic.end(), request.method) != kStatic.end())
    co_return response;
  // Only the payload: the id and the envelope are the client's own and must come back as sent.
  const char* member = response.contains("result") ? "result" : "error";
  if (!response.contains(member)) co_return response;
  Json payload = std::move(response[member]);
  auto cleaned = co_await guard->clean(context, std::move(payload));
  if (cleaned) {
    response[member] = std::move(*cleaned);
    co_return response;
  }
  // Withheld: a plain error in place of the answer, never the answer itself. A tool call
  // stays a tool execution error the model can read (server/tools#error-handling).
  if (request.method == "tools/call")
    co_return make_result(request.id, ToolResult::error(kWithheldMessage).to_json());
  co_return make_error(request.id, rpc_error::kInternalError, kWithheldMessage);
}

Task<Json> McpServer::dispatch(const RpcMessage& request, SessionState& session,
                               RequestContext& context) const {
  const std::string& m = request.method;
  if (m == "ping") co_return make_result(request.id, Json::object());
  if (std::optional<Json> listed = listing(request, context)) co_return std::move(*listed);
  if (m == "tools/call") co_return co_await call_tool(request, context);
  if (m == "resources/read") co_return co_await read_resource(request, context);
  if (m == "resources/subscribe" || m == "resources/unsubscribe") {
    auto uri = get_string(request.params, "uri");
    if (!uri)
      co_return make_error(request.id, rpc_error::kInvalidParams,
                           "Invalid params: uri is required");
    if (m == "resources/subscribe") session.subscriptions.insert(*uri);
    else session.subscriptions.erase(*uri);
    co_return make_result(request.id, Json::object());
  }
  if (m == "prompts/get") co_return co_await get_prompt(request, context);
  if (m == "logging/setLevel") {
    auto level = get_string(request.params, "level");
    if (!level || !log_severity(*level))
      co_return make_error(request.id, rpc_error::kInvalidParams,
                           "Invalid params: level must be one of debug, info, notice, warning, "
                           "error, critical, alert, emergency");
    session.log_level = *level;
    co_return make_result(request.id, Json::object());
  }
  if (m == "completion/complete") co_return complete(request);
  if (m == "initialize")
    co_return make_error(request.id, rpc_error::kInvalidRequest,
                         "Invalid Request: the session is already initialized");
  co_return make_error(request.id, rpc_error::kMethodNotFound, "Method not found: " + m);
}

std::optional<Json> McpServer::listing(const RpcMessage& request,
                                       const RequestContext& context) const {
  const std::string& m = request.method;
  if (m == "tools/list")
    return with_cache_hint(paginate(request, visible_tools(catalog_, context.principal()), "tools"),
                           context, kCatalogCacheHint);
  if (m == "resources/list")
    return with_cache_hint(paginate(request, catalog_.resources, "resources"), context,
                           kCatalogCacheHint);
  if (m == "resources/templates/list")
    return with_cache_hint(paginate(request, catalog_.resource_templates, "resourceTemplates"),
                           context, kCatalogCacheHint);
  if (m == "prompts/list")
    return with_cache_hint(paginate(request, catalog_.prompts, "prompts"), context,
                           kCatalogCacheHint);
  return std::nullopt;
}

std::optional<std::string> McpServer::listing_text(const RpcMessage& request,
                                                   const RequestContext& context,
                                                   const FinishResult& finish) const {
  const std::string& m = request.method;
  if (m != "tools/list" && m != "resources/list" && m != "resources/templates/list" &&
      m != "prompts/list")
    return std::nullopt;
  // What the answer depends on: the page asked for, the era (its caching hints and
  // decorations), the page size, and for tools which of them this grant may see.
  // The page by its offset, not by the cursor's text ("o7" and "o007" are one page): a
  // client cannot grow the kept texts by spelling cursors differently.
  std::optional<std::size_t> offset = decode_cursor(request.params);
  if (!offset) return std::nullopt;
  std::string key = m + '\n' + std::to_string(*offset) + '\n' + context.protocol_version() + '\n' +
                    std::to_string(options_.page_size) + '\n' + (finish ? "finished" : "plain");
  if (m == "tools/list") {
    key += '\n';
    for (const auto& t : catalog_.tools)
      key += context.principal().grants(t.required_scope) ? '1' : '0';
  }
  auto found = catalog_.listing_texts.find(key);
  if (found == catalog_.listing_texts.end()) {
    std::optional<Json> response = listing(request, context);
    Json* result = response ? &(*response)["result"] : nullptr;
    if (!result || !result->is_object())
      return std::nullopt;  // an unknown cursor: an error, not kept
    if (finish) finish(*result);
    // A handful of keys per catalog in practice; bounded against a client inventing cursors.
    if (catalog_.listing_texts.size() >= 256) catalog_.listing_texts.clear();
    found = catalog_.listing_texts.emplace(std::move(key), dump_json(*result)).first;
  }
  // The members in the order dump_json writes them (sorted), so the text is byte for byte
  // what serializing the whole response would give.
  return "{\"id\":" + dump_json(request.id) + ",\"jsonrpc\":\"2.0\",\"result\":" + found->second +
         "}";
}

Task<Json> McpServer::call_tool(const RpcMessage& request, RequestContext& context) const {
  auto name = get_string(request.params, "name");
  if (!name)
    co_return make_error(request.id, rpc_error::kInvalidParams, "Invalid params: name is required");
  const ToolDefinition* tool = catalog_.find_tool(*name);
  if (!tool) co_return make_error(request.id, rpc_error::kInvalidParams, "Unknown tool: " + *name);
  if (!context.principal().grants(tool->required_scope))
    co_return make_result(
        request.id,
        ToolResult::error(insufficient_scope_message(tool->name, tool->required_scope)).to_json());
  if (const std::string& needed = tool->required_client_capability;
      !needed.empty() && !find_member(context.client_capabilities(), needed)) {
    Json required = Json::object();
    required[needed] = Json::object();
    co_return make_error(
        request.id, rpc_error::kMissingRequiredClientCapability,
        "Missing required client capability: " + needed + " (" + *name + " cannot work without it)",
        {{"requiredCapabilities", std::move(required)}});
  }
  Json arguments = Json::object();
  if (const Json* a = find_member(request.params, "arguments"); a && !a->is_null()) {
    if (!a->is_object())
      co_return make_error(request.id, rpc_error::kInvalidParams,
                           "Invalid params: arguments must be an object");
    arguments = *a;
  }
  auto violations = validate_against_schema(tool->input_schema, arguments);
  if (!violations.empty()) {
    std::string message =
        "Invalid arguments for tool " + *name + ": " + describe_violations(violations);
    // Since 2025-11-25 (SEP-1303) input validation errors are tool execution errors, so
    // the model can read and correct them; earlier revisions answer -32602.
    if (context.protocol_version() >= "2025-11-25")
      co_return make_result(request.id, ToolResult::error(message).to_json());
    co_return make_error(request.id, rpc_error::kInvalidParams, message);
  }
  ToolResult result = co_await tool->handler(context, arguments);
  if (!tool->output_schema.is_null() && !result.is_error && !result.structured) {
    // The spec requires structured results for tools that declare an outputSchema.
    result = ToolResult::error("internal error: tool produced no structured result");
  }
  // Notices go beside the answer, never into structuredContent (it must match the
  // tool's outputSchema).
  for (const std::string& notice : context.notices())
    result.content.push_back({{"type", "text"}, {"text", "Note: " + notice}});
  co_return make_result(request.id, result.to_json());
}

Task<Json> McpServer::read_resource(const RpcMessage& request, RequestContext& context) const {
  auto uri = get_string(request.params, "uri");
  if (!uri)
    co_return make_error(request.id, rpc_error::kInvalidParams, "Invalid params: uri is required");
  ResourceContents contents;
  bool matched = false;
  for (const auto& r : catalog_.resources) {
    if (r.uri == *uri) {
      matched = true;
      const std::map<std::string, std::string> no_vars;
      contents = co_await r.read(context, *uri, no_vars);
      break;
    }
  }
  if (!matched) {
    for (const auto& t : catalog_.resource_templates) {
      if (auto vars = match_uri_template(t.uri_template, *uri)) {
        matched = true;
        contents = co_await t.read(context, *uri, *vars);
        break;
      }
    }
  }
  if (!contents.contents)
    co_return make_error(request.id, rpc_error::kResourceNotFound, "Resource not found",
                         {{"uri", *uri}});
  co_return with_cache_hint(make_result(request.id, {{"contents", *contents.contents}}), context,
                            contents.cache);
}

Task<Json> McpServer::get_prompt(const RpcMessage& request, RequestContext& context) const {
  auto name = get_string(request.params, "name");
  if (!name)
    co_return make_error(request.id, rpc_error::kInvalidParams, "Invalid params: name is required");
  const PromptDefinition* prompt = catalog_.find_prompt(*name);
  if (!prompt)
    co_return make_error(request.id, rpc_error::kInvalidParams, "Unknown prompt: " + *name);
  std::map<std::string, std::string> args;
  if (const Json* a = find_member(request.params, "arguments"); a && a->is_object()) {
    for (auto it = a->begin(); it != a->end(); ++it) {
      if (!it.value().is_string())
        co_return make_error(request.id, rpc_error::kInvalidParams,
                             "Invalid params: prompt argument " + it.key() + " must be a string");
      args[it.key()] = it.value().get<std::string>();
    }
  }
  for (const auto& arg : prompt->arguments)
    if (arg.required && !args.count(arg.name))
      co_return make_error(request.id, rpc_error::kInvalidParams,
                           "Missing required argument \"" + arg.name + "\" for prompt " + *name);
  Json result = co_await prompt->get(context, args);
  co_return make_result(request.id, std::move(result));
}

Json McpServer::complete(const RpcMessage& request) const {
  const Json* ref = find_member(request.params, "ref");
  const Json* argument = find_member(request.params, "argument");
  auto type = ref ? get_string(*ref, "type") : std::nullopt;
  auto arg_name = argument ? get_string(*argument, "name") : std::nullopt;
  auto value = argument ? get_string(*argument, "value") : std::nullopt;
  if (!type || !arg_name || !value)
    return make_error(request.id, rpc_error::kInvalidParams,
                      "Invalid params: ref.type, argument.name and argument.value are required");
  std::vector<std::string> values;
  if (*type == "ref/prompt") {
    auto name = get_string(*ref, "name").value_or("");
    const PromptDefinition* p = catalog_.find_prompt(name);
    if (!p) return make_error(request.id, rpc_error::kInvalidParams, "Unknown prompt: " + name);
    if (p->complete) values = p->complete(*arg_name, *value);
  } else if (*type == "ref/resource") {
    auto uri = get_string(*ref, "uri").value_or("");
    const ResourceTemplateDefinition* found = nullptr;
    for (const auto& t : catalog_.resource_templates)
      if (t.uri_template == uri) found = &t;
    if (!found)
      return make_error(request.id, rpc_error::kInvalidParams, "Unknown resource template: " + uri);
    if (found->complete) values = found->complete(*arg_name, *value);
  } else {
    return make_error(request.id, rpc_error::kInvalidParams, "Invalid params: unknown ref type");
  }
  bool has_more = values.size() > 100;  // at most 100 values (server/utilities/completion)
  if (has_more) values.resize(100);
  Json completion = {{"values", values}, {"hasMore", has_more}};
  return make_result(request.id, {{"completion", std::move(completion)}});
}

}  // namespace bmcp::mcp
