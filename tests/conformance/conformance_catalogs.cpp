#include "conformance_catalogs.hpp"

#include "effects/host_api.hpp"

#include <string>
#include <vector>

namespace bmcp::conformance {
namespace {

using mcp::RequestContext;
using mcp::ToolResult;

// A 1×1 PNG (one blue pixel) and a 1 ms, 8 kHz, 8-bit mono WAV of silence.
constexpr const char* kPngBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mOQm/AfAAJ9Aa5PDvJhAAAAAElFTkSuQmCC";
constexpr const char* kWavBase64 =
    "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA==";

constexpr std::int64_t kStepDelayMs = 50;
constexpr std::int64_t kClientReplyTimeoutMs = 60000;

Json text_block(std::string text) { return {{"type", "text"}, {"text", std::move(text)}}; }
Json image_block() { return {{"type", "image"}, {"data", kPngBase64}, {"mimeType", "image/png"}}; }
Json embedded_text(std::string uri, std::string mime_type, std::string text) {
  return {
      {"type", "resource"},
      {"resource",
       {{"uri", std::move(uri)}, {"mimeType", std::move(mime_type)}, {"text", std::move(text)}}}};
}
Json user_message(Json content) { return {{"role", "user"}, {"content", std::move(content)}}; }

Json object_schema(Json properties, Json required = Json::array()) {
  Json schema = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

const char* action_name(mcp::ElicitationResult::Action action) {
  switch (action) {
    case mcp::ElicitationResult::Action::Accept: return "accept";
    case mcp::ElicitationResult::Action::Decline: return "decline";
    case mcp::ElicitationResult::Action::Cancel: return "cancel";
    case mcp::ElicitationResult::Action::Unsupported: return "unsupported";
    case mcp::ElicitationResult::Action::NoAnswer: return "no answer";
    case mcp::ElicitationResult::Action::Pending: return "pending";
  }
  return "unknown";
}

// Runs one elicitation and reports its outcome as the tool result.
Task<ToolResult> elicit_and_report(RequestContext& ctx, std::string message, Json schema,
                                   std::string prefix) {
  auto outcome = co_await ctx.elicit(std::move(message), std::move(schema), kClientReplyTimeoutMs);
  if (outcome.action == mcp::ElicitationResult::Action::Unsupported)
    co_return ToolResult::error("The client does not support form elicitation.");
  if (outcome.action == mcp::ElicitationResult::Action::NoAnswer)
    co_return ToolResult::error("The client did not answer the elicitation request.");
  co_return ToolResult::text(prefix + "action=" + action_name(outcome.action) +
                             ", content=" + dump_json(outcome.content));
}

// ---- tools ------------------------------------------------------------------------------

mcp::ToolDefinition tool(std::string name, std::string description, mcp::ToolHandler handler) {
  mcp::ToolDefinition t;
  t.name = std::move(name);
  t.description = std::move(description);
  t.handler = std::move(handler);
  return t;
}

Task<ToolResult> simple_text(RequestContext&, const Json&) {
  co_return ToolResult::text("This is a simple text response for testing.");
}

// Diagnostic tools of the 2026-07-28 scenarios (SEP-2575): one that logs (a request that
// set no logLevel must get no notifications/message), one that asks the person (the answer
// must be an input_required round, never a request on the response stream), one that needs
// sampling (an undeclared capability is MissingRequiredClientCapabilityError).
Task<ToolResult> logging_diagnostic(RequestContext& ctx, const Json&) {
  co_await ctx.log("info", "a log line nobody asked for", "conformance");
  co_return ToolResult::text("logged");
}

Task<ToolResult> streaming_elicitation(RequestContext& ctx, const Json&) {
  co_await ctx.progress(1, 2, "about to ask");
  Json schema = {{"type", "object"}, {"properties", {{"ok", {{"type", "boolean"}}}}}};
  mcp::ElicitationResult answer = co_await ctx.elicit("Go on?", std::move(schema));
  if (answer.action == mcp::ElicitationResult::Action::Accept)
    co_return ToolResult::text("accepted");
  co_return ToolResult::text("not answered here");
}

Task<ToolResult> needs_sampling(RequestContext&, const Json&) {
  co_return ToolResult::text("sampled");
}

Task<ToolResult> image_content(RequestContext&, const Json&) {
  ToolResult r;
  r.content.push_back(image_block());
  co_return r;
}

Task<ToolResult> audio_content(RequestContext&, const Json&) {
  ToolResult r;
  r.content.push_back({{"type", "audio"}, {"data", kWavBase64}, {"mimeType", "audio/wav"}});
  co_return r;
}

Task<ToolResult> embedded_resource(RequestContext&, const Json&) {
  ToolResult r;
  r.content.push_back(embedded_text("test://embedded-resource", "text/plain",
                                    "This is an embedded resource content."));
  co_return r;
}

Task<ToolResult> multiple_content_types(RequestContext&, const Json&) {
  ToolResult r;
  r.content.push_back(text_block("Multiple content types test:"));
  r.content.push_back(image_block());
  r.content.push_back(embedded_text("test://mixed-content-resource", "application/json",
                                    dump_json({{"test", "data"}, {"value", 123}})));
  co_return r;
}

Task<ToolResult> with_logging(RequestContext& ctx, const Json&) {
  const char* steps[] = {"Tool execution started", "Tool processing data",
                         "Tool execution completed"};
  for (std::size_t i = 0; i < std::size(steps); ++i) {
    if (i > 0) co_await host::sleep(ctx.io(), kStepDelayMs);
    co_await ctx.log("info", steps[i], "conformance");
  }
  co_return ToolResult::text("Tool with logging executed successfully.");
}

Task<ToolResult> error_handling(RequestContext&, const Json&) {
  co_return ToolResult::error("This tool intentionally returns an error for testing");
}

Task<ToolResult> with_progress(RequestContext& ctx, const Json&) {
  const double steps[] = {0, 50, 100};
  for (std::size_t i = 0; i < std::size(steps); ++i) {
    if (i > 0) co_await host::sleep(ctx.io(), kStepDelayMs);
    co_await ctx.progress(steps[i], 100.0);
  }
  co_return ToolResult::text("Tool with progress executed successfully.");
}

// The model's text from a CreateMessageResult (content is one block, or a list of blocks
// since 2025-11-25).
std::string sampled_text(const Json& result) {
  const Json* content = find_member(result, "content");
  if (!content) return {};
  if (content->is_object()) return get_string(*content, "text").value_or("");
  std::string text;
  if (content->is_array())
    for (const Json& block : *content) text += get_string(block, "text").value_or("");
  return text;
}

Task<ToolResult> sampling(RequestContext& ctx, const Json& arguments) {
  if (!find_member(ctx.client_capabilities(), "sampling"))
    co_return ToolResult::error("The client does not support sampling.");
  std::string prompt = get_string(arguments, "prompt").value_or("");
  Json messages = Json::array({user_message(text_block(prompt))});
  Json params = {{"messages", std::move(messages)}, {"maxTokens", 100}};
  auto reply = co_await ctx.request_client("sampling/createMessage", std::move(params),
                                           kClientReplyTimeoutMs);
  if (!reply) co_return ToolResult::error("The client did not answer the sampling request.");
  const Json* result = find_member(*reply, "result");
  if (!result) {
    std::string why = "unknown error";
    if (const Json* err = find_member(*reply, "error"))
      why = get_string(*err, "message").value_or(why);
    co_return ToolResult::error("Sampling failed: " + why);
  }
  co_return ToolResult::text("LLM response: " + sampled_text(*result));
}

Task<ToolResult> elicitation(RequestContext& ctx, const Json& arguments) {
  Json schema =
      object_schema({{"username", {{"type", "string"}, {"description", "User's response"}}},
                     {"email", {{"type", "string"}, {"description", "User's email address"}}}},
                    {"username", "email"});
  co_return co_await elicit_and_report(ctx, get_string(arguments, "message").value_or(""),
                                       std::move(schema), "User response: ");
}

// SEP-1034: a default for every primitive type.
Task<ToolResult> elicitation_defaults(RequestContext& ctx, const Json&) {
  Json schema = object_schema(
      {{"name", {{"type", "string"}, {"description", "Your name"}, {"default", "John Doe"}}},
       {"age", {{"type", "integer"}, {"description", "Your age"}, {"default", 30}}},
       {"score", {{"type", "number"}, {"description", "Your score"}, {"default", 95.5}}},
       {"status",
        {{"type", "string"},
         {"description", "Your status"},
         {"enum", {"active", "inactive", "pending"}},
         {"default", "active"}}},
       {"verified",
        {{"type", "boolean"}, {"description", "Whether you are verified"}, {"default", true}}}});
  co_return co_await elicit_and_report(ctx,
                                       "Please review and update the form fields with defaults",
                                       std::move(schema), "Elicitation completed: ");
}

// SEP-1330: the five enum shapes (untitled/titled, single/multi, and legacy enumNames).
Task<ToolResult> elicitation_enums(RequestContext& ctx, const Json&) {
  auto titled = [](std::initializer_list<std::pair<const char*, const char*>> options) {
    Json list = Json::array();
    for (const auto& [value, title] : options) list.push_back({{"const", value}, {"title", title}});
    return list;
  };
  Json schema = object_schema(
      {{"untitledSingle",
        {{"type", "string"},
         {"description", "Pick one option"},
         {"enum", {"option1", "option2", "option3"}}}},
       {"titledSingle",
        {{"type", "string"},
         {"description", "Pick one titled option"},
         {"oneOf", titled({{"value1", "First Option"},
                           {"value2", "Second Option"},
                           {"value3", "Third Option"}})}}},
       {"legacyEnum",
        {{"type", "string"},
         {"description", "Pick one option (legacy enumNames)"},
         {"enum", {"opt1", "opt2", "opt3"}},
         {"enumNames", {"Option One", "Option Two", "Option Three"}}}},
       {"untitledMulti",
        {{"type", "array"},
         {"description", "Pick any options"},
         {"items", {{"type", "string"}, {"enum", {"option1", "option2", "option3"}}}}}},
       {"titledMulti",
        {{"type", "array"},
         {"description", "Pick any titled options"},
         {"items",
          {{"anyOf", titled({{"value1", "First Choice"},
                             {"value2", "Second Choice"},
                             {"value3", "Third Choice"}})}}}}}});
  co_return co_await elicit_and_report(ctx, "Please choose from the enum fields", std::move(schema),
                                       "Elicitation completed: ");
}

Task<ToolResult> json_schema_2020_12(RequestContext&, const Json& arguments) {
  co_return ToolResult::text("Received: " + dump_json(arguments));
}

// ---- multi round-trip (SEP-2322) ------------------------------------------------------
// The tools and the prompt of the input-required-result scenarios: each asks under the key
// the scenario names. Questions that authorize nothing are ephemeral (answerable in the
// first request); the request-state, multi-round, multiple-inputs and tampered-state ones
// need the sealed state, as an order's confirmation does.

Json name_schema(const char* property, const char* type = "string") {
  return object_schema({{property, {{"type", type}}}}, {property});
}

std::string answered_text(const mcp::ElicitationResult& answer, const char* property) {
  const Json* value = find_member(answer.content, property);
  return value && value->is_string() ? value->get<std::string>() : dump_json(answer.content);
}

constexpr const char* kStillAsking = "waiting for the client's answer";

Task<ToolResult> mrtr_elicitation(RequestContext& ctx, const Json&) {
  mcp::Question question{"user_name", /*ephemeral=*/true};
  Json schema = name_schema("name");
  auto answer =
      co_await ctx.elicit("What is your name?", std::move(schema), kClientReplyTimeoutMs, question);
  if (answer.action != mcp::ElicitationResult::Action::Accept)
    co_return ToolResult::text(std::string("No name given (") + action_name(answer.action) + ").");
  co_return ToolResult::text("Hello, " + answered_text(answer, "name") + "!");
}

Json capital_question() {
  Json messages = Json::array({user_message(text_block("What is the capital of France?"))});
  return {{"messages", std::move(messages)}, {"maxTokens", 100}};
}

Task<ToolResult> mrtr_sampling(RequestContext& ctx, const Json&) {
  mcp::Question question{"capital_question", /*ephemeral=*/true};
  Json prompt = capital_question();
  auto reply = co_await ctx.request_client("sampling/createMessage", std::move(prompt),
                                           kClientReplyTimeoutMs, question);
  const Json* result = reply ? find_member(*reply, "result") : nullptr;
  if (!result) co_return ToolResult::error(kStillAsking);
  co_return ToolResult::text("LLM response: " + sampled_text(*result));
}

std::string roots_text(const Json& result) {
  std::string text = "Roots:";
  if (const Json* roots = find_member(result, "roots"); roots && roots->is_array())
    for (const Json& root : *roots) text += " " + get_string(root, "uri").value_or("?");
  return text;
}

Task<ToolResult> mrtr_list_roots(RequestContext& ctx, const Json&) {
  mcp::Question question{"client_roots", /*ephemeral=*/true};
  Json no_params = Json::object();
  auto reply = co_await ctx.request_client("roots/list", std::move(no_params),
                                           kClientReplyTimeoutMs, question);
  const Json* result = reply ? find_member(*reply, "result") : nullptr;
  if (!result) co_return ToolResult::error(kStillAsking);
  co_return ToolResult::text(roots_text(*result));
}

// Answered only with the sealed requestState ("state-ok": the state was opened and checked).
Task<ToolResult> mrtr_request_state(RequestContext& ctx, const Json&) {
  mcp::Question question{"confirm"};
  Json schema = name_schema("ok", "boolean");
  auto answer =
      co_await ctx.elicit("Please confirm", std::move(schema), kClientReplyTimeoutMs, question);
  if (answer.action == mcp::ElicitationResult::Action::Pending)
    co_return ToolResult::error(kStillAsking);
  co_return ToolResult::text(std::string("state-ok: ") + action_name(answer.action));
}

Task<ToolResult> mrtr_multiple_inputs(RequestContext& ctx, const Json&) {
  mcp::Question name_q{"user_name"}, greeting_q{"greeting"}, roots_q{"client_roots"};
  Json schema = name_schema("name");
  auto name =
      co_await ctx.elicit("What is your name?", std::move(schema), kClientReplyTimeoutMs, name_q);
  Json messages = Json::array({user_message(text_block("Generate a greeting"))});
  Json prompt = {{"messages", std::move(messages)}, {"maxTokens", 50}};
  auto greeting = co_await ctx.request_client("sampling/createMessage", std::move(prompt),
                                              kClientReplyTimeoutMs, greeting_q);
  Json no_params = Json::object();
  auto roots = co_await ctx.request_client("roots/list", std::move(no_params),
                                           kClientReplyTimeoutMs, roots_q);
  const Json* greeted = greeting ? find_member(*greeting, "result") : nullptr;
  const Json* rooted = roots ? find_member(*roots, "result") : nullptr;
  if (name.action == mcp::ElicitationResult::Action::Pending || !greeted || !rooted)
    co_return ToolResult::error(kStillAsking);
  co_return ToolResult::text("name=" + answered_text(name, "name") +
                             ", greeting=" + sampled_text(*greeted) + ", " + roots_text(*rooted));
}

Task<ToolResult> mrtr_multi_round(RequestContext& ctx, const Json&) {
  mcp::Question step1{"step1"}, step2{"step2"};
  Json first = name_schema("name");
  auto name = co_await ctx.elicit("Step 1: What is your name?", std::move(first),
                                  kClientReplyTimeoutMs, step1);
  if (name.action == mcp::ElicitationResult::Action::Pending)
    co_return ToolResult::error(kStillAsking);
  Json second = name_schema("color");
  auto color = co_await ctx.elicit("Step 2: What is your favorite color?", std::move(second),
                                   kClientReplyTimeoutMs, step2);
  if (color.action == mcp::ElicitationResult::Action::Pending)
    co_return ToolResult::error(kStillAsking);
  co_return ToolResult::text("name=" + answered_text(name, "name") +
                             ", color=" + answered_text(color, "color"));
}

// Asks only what the client declared it can answer (the scenario declares sampling only).
Task<ToolResult> mrtr_capabilities(RequestContext& ctx, const Json&) {
  mcp::Question name_q{"user_name", /*ephemeral=*/true},
      capital_q{"capital_question", /*ephemeral=*/true};
  mcp::ElicitationResult name;
  if (ctx.can_elicit()) {
    Json schema = name_schema("name");
    name =
        co_await ctx.elicit("What is your name?", std::move(schema), kClientReplyTimeoutMs, name_q);
  }
  Json prompt = capital_question();
  auto reply = co_await ctx.request_client("sampling/createMessage", std::move(prompt),
                                           kClientReplyTimeoutMs, capital_q);
  const Json* result = reply ? find_member(*reply, "result") : nullptr;
  if (name.action == mcp::ElicitationResult::Action::Pending ||
      (ctx.client_declared("sampling/createMessage") && !result))
    co_return ToolResult::error(kStillAsking);
  co_return ToolResult::text("answered: " +
                             (result ? sampled_text(*result) : std::string("nothing")));
}

// SEP-2243: an argument a gateway may route on travels in Mcp-Param-Region as well.
Task<ToolResult> custom_header(RequestContext&, const Json& arguments) {
  co_return ToolResult::text("Region: " + get_string(arguments, "region").value_or(""));
}

mcp::ToolDefinition custom_header_tool() {
  mcp::ToolDefinition t =
      tool("test_custom_header", "Echoes its region, which is mirrored into Mcp-Param-Region.",
           custom_header);
  t.input_schema = object_schema(
      {{"region",
        {{"type", "string"}, {"description", "A region to echo"}, {"x-mcp-header", "Region"}}}},
      {"region"});
  return t;
}

std::vector<mcp::ToolDefinition> tools() {
  std::vector<mcp::ToolDefinition> out;
  out.push_back(custom_header_tool());
  out.push_back(tool("test_simple_text", "Returns a simple text response.", simple_text));
  out.push_back(tool("test_input_required_result_elicitation",
                     "Asks the user's name (ephemeral round).", mrtr_elicitation));
  out.push_back(tool("test_input_required_result_sampling",
                     "Asks the client's model a question (ephemeral round).", mrtr_sampling));
  out.push_back(tool("test_input_required_result_list_roots",
                     "Asks the client's roots (ephemeral round).", mrtr_list_roots));
  out.push_back(tool("test_input_required_result_request_state",
                     "Asks for a confirmation, with sealed state.", mrtr_request_state));
  out.push_back(tool("test_input_required_result_multiple_inputs",
                     "Asks three things in one round.", mrtr_multiple_inputs));
  out.push_back(tool("test_input_required_result_multi_round", "Asks two questions in two rounds.",
                     mrtr_multi_round));
  out.push_back(tool("test_input_required_result_tampered_state",
                     "Asks for a confirmation, with sealed state.", mrtr_request_state));
  out.push_back(tool("test_input_required_result_capabilities",
                     "Asks only what the client can answer.", mrtr_capabilities));
  out.push_back(tool("test_logging_tool", "Logs one line (SEP-2575: none without a logLevel).",
                     logging_diagnostic));
  out.push_back(tool("test_streaming_elicitation",
                     "Reports progress, then asks the person something.", streaming_elicitation));
  auto needs_sampling_tool =
      tool("test_missing_capability", "Needs the client's sampling capability.", needs_sampling);
  needs_sampling_tool.required_client_capability = "sampling";
  out.push_back(std::move(needs_sampling_tool));
  out.push_back(tool("test_image_content", "Returns a 1x1 PNG image.", image_content));
  out.push_back(tool("test_audio_content", "Returns a tiny WAV audio clip.", audio_content));
  out.push_back(
      tool("test_embedded_resource", "Returns an embedded text resource.", embedded_resource));
  out.push_back(tool("test_multiple_content_types",
                     "Returns text, an image and an embedded resource.", multiple_content_types));
  out.push_back(tool("test_tool_with_logging",
                     "Sends three log messages about 50 ms apart while it runs.", with_logging));
  out.push_back(
      tool("test_error_handling", "Always fails with a tool execution error.", error_handling));
  out.push_back(tool("test_tool_with_progress",
                     "Reports progress 0, 50 and 100 of 100 while it runs.", with_progress));

  auto sample =
      tool("test_sampling", "Asks the client's model to answer a prompt (sampling).", sampling);
  sample.input_schema = object_schema(
      {{"prompt", {{"type", "string"}, {"description", "The prompt to send to the model"}}}},
      {"prompt"});
  out.push_back(std::move(sample));

  auto elicit =
      tool("test_elicitation", "Asks the user for a username and an email address.", elicitation);
  elicit.input_schema = object_schema(
      {{"message", {{"type", "string"}, {"description", "The message to show the user"}}}},
      {"message"});
  out.push_back(std::move(elicit));

  out.push_back(tool("test_elicitation_sep1034_defaults",
                     "Asks the user to fill a form whose fields all have defaults (SEP-1034).",
                     elicitation_defaults));
  out.push_back(tool("test_elicitation_sep1330_enums",
                     "Asks the user to fill a form with every kind of enum field (SEP-1330).",
                     elicitation_enums));

  auto modern = tool("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features",
                     json_schema_2020_12);
  modern.input_schema = {
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"type", "object"},
      {"$defs",
       {{"address",
         {{"$anchor", "address"},
          {"type", "object"},
          {"properties", {{"street", {{"type", "string"}}}, {"city", {{"type", "string"}}}}}}}}},
      {"properties", {{"name", {{"type", "string"}}}, {"address", {{"$ref", "#/$defs/address"}}}}},
      // Composition and conditional keywords (SEP-2106): served as written.
      {"allOf",
       Json::array(
           {{{"anyOf", Json::array({{{"required", {"name"}}}, {{"required", {"address"}}}})}}})},
      {"if", {{"required", {"address"}}}},
      {"then", {{"properties", {{"address", {{"required", {"city"}}}}}}}},
      {"else", Json::object()},
      {"additionalProperties", false}};
  out.push_back(std::move(modern));
  return out;
}

// ---- resources ----------------------------------------------------------------------------

mcp::ResourceContents blob_contents(std::string uri, std::string mime_type, std::string blob) {
  mcp::ResourceContents c;
  c.contents = Json::array(
      {{{"uri", std::move(uri)}, {"mimeType", std::move(mime_type)}, {"blob", std::move(blob)}}});
  return c;
}

std::vector<mcp::ResourceDefinition> resources() {
  std::vector<mcp::ResourceDefinition> out;

  mcp::ResourceDefinition text;
  text.uri = "test://static-text";
  text.name = "Static text";
  text.description = "A static plain-text resource.";
  text.mime_type = "text/plain";
  text.read = [](RequestContext&, const std::string& uri,
                 const std::map<std::string, std::string>&) -> Task<mcp::ResourceContents> {
    co_return mcp::ResourceContents::text(uri, "text/plain",
                                          "This is the content of the static text resource.");
  };
  out.push_back(std::move(text));

  mcp::ResourceDefinition binary;
  binary.uri = "test://static-binary";
  binary.name = "Static binary";
  binary.description = "A static binary resource (a 1x1 PNG image).";
  binary.mime_type = "image/png";
  binary.read = [](RequestContext&, const std::string& uri,
                   const std::map<std::string, std::string>&) -> Task<mcp::ResourceContents> {
    co_return blob_contents(uri, "image/png", kPngBase64);
  };
  out.push_back(std::move(binary));

  mcp::ResourceDefinition watched;
  watched.uri = "test://watched-resource";
  watched.name = "Watched resource";
  watched.description = "A resource clients can subscribe to.";
  watched.mime_type = "text/plain";
  watched.read = [](RequestContext&, const std::string& uri,
                    const std::map<std::string, std::string>&) -> Task<mcp::ResourceContents> {
    co_return mcp::ResourceContents::text(uri, "text/plain",
                                          "The current content of the watched resource.");
  };
  out.push_back(std::move(watched));
  return out;
}

std::vector<mcp::ResourceTemplateDefinition> resource_templates() {
  mcp::ResourceTemplateDefinition data;
  data.uri_template = "test://template/{id}/data";
  data.name = "Template data";
  data.description = "Data for one id, read through a URI template.";
  data.mime_type = "application/json";
  data.read = [](RequestContext&, const std::string& uri,
                 const std::map<std::string, std::string>& vars) -> Task<mcp::ResourceContents> {
    auto it = vars.find("id");
    std::string id = it == vars.end() ? std::string() : it->second;
    Json body = {{"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}};
    co_return mcp::ResourceContents::text(uri, "application/json", dump_json(body));
  };
  return {std::move(data)};
}

// ---- prompts --------------------------------------------------------------------------------

std::vector<std::string> with_prefix(const std::vector<std::string>& candidates,
                                     const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& c : candidates)
    if (c.compare(0, prefix.size(), prefix) == 0) out.push_back(c);
  return out;
}

std::string arg_or_empty(const std::map<std::string, std::string>& args, const std::string& name) {
  auto it = args.find(name);
  return it == args.end() ? std::string() : it->second;
}

std::vector<mcp::PromptDefinition> prompts() {
  std::vector<mcp::PromptDefinition> out;

  mcp::PromptDefinition simple;
  simple.name = "test_simple_prompt";
  simple.description = "A simple prompt without arguments.";
  simple.get = [](RequestContext&, const std::map<std::string, std::string>&) -> Task<Json> {
    Json messages = Json::array({user_message(text_block("This is a simple prompt for testing."))});
    co_return Json{{"messages", std::move(messages)}};
  };
  out.push_back(std::move(simple));

  mcp::PromptDefinition with_args;
  with_args.name = "test_prompt_with_arguments";
  with_args.description = "A prompt with two required arguments.";
  with_args.arguments = {{"arg1", "First test argument", true},
                         {"arg2", "Second test argument", true}};
  with_args.get = [](RequestContext&,
                     const std::map<std::string, std::string>& args) -> Task<Json> {
    std::string text = "Prompt with arguments: arg1='" + arg_or_empty(args, "arg1") + "', arg2='" +
                       arg_or_empty(args, "arg2") + "'";
    Json messages = Json::array({user_message(text_block(std::move(text)))});
    co_return Json{{"messages", std::move(messages)}};
  };
  with_args.complete = [](const std::string& arg, const std::string& prefix) {
    if (arg == "arg1") return with_prefix({"test", "testing", "test value", "example"}, prefix);
    if (arg == "arg2") return with_prefix({"alpha", "beta", "gamma"}, prefix);
    return std::vector<std::string>{};
  };
  out.push_back(std::move(with_args));

  mcp::PromptDefinition embedded;
  embedded.name = "test_prompt_with_embedded_resource";
  embedded.description = "A prompt that embeds the resource it is given.";
  embedded.arguments = {{"resourceUri", "URI of the resource to embed", true}};
  embedded.get = [](RequestContext&, const std::map<std::string, std::string>& args) -> Task<Json> {
    Json messages =
        Json::array({user_message(embedded_text(arg_or_empty(args, "resourceUri"), "text/plain",
                                                "Embedded resource content for testing.")),
                     user_message(text_block("Please process the embedded resource above."))});
    co_return Json{{"messages", std::move(messages)}};
  };
  out.push_back(std::move(embedded));

  mcp::PromptDefinition image;
  image.name = "test_prompt_with_image";
  image.description = "A prompt with an image.";
  image.get = [](RequestContext&, const std::map<std::string, std::string>&) -> Task<Json> {
    Json messages = Json::array(
        {user_message(image_block()), user_message(text_block("Please analyze the image above."))});
    co_return Json{{"messages", std::move(messages)}};
  };
  out.push_back(std::move(image));

  mcp::PromptDefinition asking;
  asking.name = "test_input_required_result_prompt";
  asking.description = "Asks what context to use, then returns a prompt with it (SEP-2322).";
  asking.get = [](RequestContext& ctx, const std::map<std::string, std::string>&) -> Task<Json> {
    mcp::Question question{"user_context", /*ephemeral=*/true};
    Json schema = name_schema("context");
    auto answer = co_await ctx.elicit("What context should the prompt use?", std::move(schema),
                                      kClientReplyTimeoutMs, question);
    std::string context = answer.action == mcp::ElicitationResult::Action::Accept
                              ? answered_text(answer, "context")
                              : std::string("none");
    Json messages = Json::array({user_message(text_block("Use this context: " + context))});
    co_return Json{{"messages", std::move(messages)}};
  };
  out.push_back(std::move(asking));
  return out;
}

}  // namespace

mcp::Catalog build_conformance_catalog(const app::Config& config) {
  mcp::Catalog c;
  c.identity.name = "mcp-conformance-test-server";
  c.identity.title = "MCP conformance test server";
  c.identity.version = config.server_version;
  c.tools = tools();
  c.resources = resources();
  c.resource_templates = resource_templates();
  c.prompts = prompts();
  return c;
}

app::CatalogSet build_conformance_catalogs(const app::Config& config) {
  mcp::Catalog catalog = build_conformance_catalog(config);
  return app::CatalogSet{catalog, catalog, catalog};
}

}  // namespace bmcp::conformance
