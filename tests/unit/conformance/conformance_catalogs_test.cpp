// The conformance fixture (tests/conformance/): what the official suite calls by name is
// there, described, and answers with the shapes its checks read — driven through the real
// dispatcher, with a recording client on the other end and every effect (sleeps) answered.
#include "conformance/conformance_catalogs.hpp"

#include "effects/call.hpp"
#include "mcp/json_schema.hpp"
#include "mcp/server.hpp"
#include "support/openssl_crypto.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

using namespace bmcp;
using namespace bmcp::mcp;

namespace {

// The client side of server-to-client messages: records what the server sends and answers
// every request with `reply`.
class RecordingClient final : public Outbound {
 public:
  std::vector<Json> sent;
  Json reply = Json::object();
  bool can_stream() const override { return true; }
  Task<bool> send(Json message) override {
    sent.push_back(std::move(message));
    co_return true;
  }
  Task<std::optional<Json>> await_reply(const Json&, std::int64_t) override { co_return reply; }
  Json next_request_id() override { return "srv-1"; }
  std::vector<Json> sent_with_method(const std::string& method) const {
    std::vector<Json> out;
    for (const Json& m : sent)
      if (get_string(m, "method").value_or("") == method) out.push_back(m);
    return out;
  }
};

struct Fixture {
  app::Config config;
  Catalog catalog = conformance::build_conformance_catalog(config);
  SessionState session;
  RecordingClient client;
  std::vector<std::string> effects;  // kinds of the effects the call performed
  Json progress_token;

  Fixture() {
    session.protocol_version = "2025-11-25";
    session.client_capabilities = {{"sampling", Json::object()}, {"elicitation", Json::object()}};
  }

  static Task<Json> dispatch(Io& io, Fixture& f, Json message) {
    RpcMessage msg = std::get<RpcMessage>(classify(message));
    Principal nobody;
    RequestContext context(io, nobody, f.client, f.session.protocol_version,
                           f.session.client_capabilities, f.progress_token, f.session.log_level);
    McpServer server(f.catalog);
    co_return co_await server.handle_request(msg, f.session, context);
  }

  // One request through the dispatcher; returns its `result` member.
  Json request(std::string method, Json params = Json::object()) {
    Json message = {{"jsonrpc", "2.0"},
                    {"id", 7},
                    {"method", std::move(method)},
                    {"params", std::move(params)}};
    testing::OpenSslCrypto crypto;
    Call::Body body = [this, message](Io& io) { return dispatch(io, *this, message); };
    Call call(crypto, 0, body);
    Step step = call.start();
    std::int64_t now = 0;
    while (step.state == Step::State::Blocked) {
      std::vector<DeliveredOutcome> outcomes;
      for (auto& e : step.effects) {
        effects.push_back(e.effect.kind);
        outcomes.push_back({e.id, EffectOutcome::success(Json::object())});
      }
      step = call.resume(now += 50, std::move(outcomes));
    }
    REQUIRE(step.state == Step::State::Done);
    INFO(dump_json(step.result));
    REQUIRE(find_member(step.result, "result"));
    return step.result["result"];
  }

  Json call_tool(std::string name, Json arguments = Json::object()) {
    return request("tools/call", {{"name", std::move(name)}, {"arguments", std::move(arguments)}});
  }
};

std::set<std::string> names(const Json& list, const char* key) {
  std::set<std::string> out;
  for (const Json& item : list) out.insert(get_string(item, key).value_or(""));
  return out;
}

const Json* block_of_type(const Json& result, const std::string& type) {
  for (const Json& block : result["content"])
    if (get_string(block, "type").value_or("") == type) return &block;
  return nullptr;
}

}  // namespace

TEST_CASE("the fixture offers exactly what the suite calls, each with a description",
          "[conformance]") {
  Fixture f;
  CHECK(f.catalog.identity.name == "mcp-conformance-test-server");

  Json tools = f.request("tools/list")["tools"];
  CHECK(names(tools, "name") ==
        std::set<std::string>{
            "test_simple_text", "test_image_content", "test_audio_content",
            "test_embedded_resource", "test_multiple_content_types", "test_tool_with_logging",
            "test_error_handling", "test_tool_with_progress", "test_sampling", "test_elicitation",
            "test_elicitation_sep1034_defaults", "test_elicitation_sep1330_enums",
            "json_schema_2020_12_tool",
            // the 2026-07-28 diagnostic tools (SEP-2575)
            "test_logging_tool", "test_streaming_elicitation", "test_missing_capability",
            // the multi round-trip scenarios (SEP-2322)
            "test_input_required_result_elicitation", "test_input_required_result_sampling",
            "test_input_required_result_list_roots", "test_input_required_result_request_state",
            "test_input_required_result_multiple_inputs", "test_input_required_result_multi_round",
            "test_input_required_result_tampered_state", "test_input_required_result_capabilities",
            // custom headers from tool parameters (SEP-2243)
            "test_custom_header"});
  for (const Json& t : tools) {
    INFO(dump_json(t));
    CHECK(!get_string(t, "description").value_or("").empty());
    CHECK(get_string(t["inputSchema"], "type") == "object");
    // Every keyword of it is checked (a server with one that is not does not start).
    CHECK(unchecked_schema_keywords(t["inputSchema"]).empty());
  }

  Json resources = f.request("resources/list")["resources"];
  CHECK(names(resources, "uri") == std::set<std::string>{"test://static-text",
                                                         "test://static-binary",
                                                         "test://watched-resource"});
  Json templates = f.request("resources/templates/list")["resourceTemplates"];
  CHECK(names(templates, "uriTemplate") == std::set<std::string>{"test://template/{id}/data"});
  for (const Json* list : {&resources, &templates})
    for (const Json& r : *list) CHECK(!get_string(r, "description").value_or("").empty());

  Json prompts = f.request("prompts/list")["prompts"];
  CHECK(names(prompts, "name") ==
        std::set<std::string>{"test_simple_prompt", "test_prompt_with_arguments",
                              "test_prompt_with_embedded_resource", "test_prompt_with_image",
                              "test_input_required_result_prompt"});
  for (const Json& p : prompts) CHECK(!get_string(p, "description").value_or("").empty());
}

TEST_CASE("content tools answer with the blocks the suite reads", "[conformance]") {
  Fixture f;
  CHECK(f.call_tool("test_simple_text")["content"][0]["text"] ==
        "This is a simple text response for testing.");

  Json image = f.call_tool("test_image_content");
  REQUIRE(block_of_type(image, "image"));
  CHECK((*block_of_type(image, "image"))["mimeType"] == "image/png");
  CHECK(get_string(*block_of_type(image, "image"), "data").value_or("").rfind("iVBORw0KGgo", 0) ==
        0);  // PNG

  Json audio = f.call_tool("test_audio_content");
  REQUIRE(block_of_type(audio, "audio"));
  CHECK((*block_of_type(audio, "audio"))["mimeType"] == "audio/wav");
  CHECK(get_string(*block_of_type(audio, "audio"), "data").value_or("").rfind("UklGR", 0) ==
        0);  // RIFF

  Json embedded = f.call_tool("test_embedded_resource");
  REQUIRE(block_of_type(embedded, "resource"));
  const Json& resource = (*block_of_type(embedded, "resource"))["resource"];
  CHECK(resource["uri"] == "test://embedded-resource");
  CHECK(resource["mimeType"] == "text/plain");
  CHECK(!get_string(resource, "text").value_or("").empty());

  Json mixed = f.call_tool("test_multiple_content_types");
  CHECK(block_of_type(mixed, "text"));
  CHECK(block_of_type(mixed, "image"));
  CHECK(block_of_type(mixed, "resource"));

  Json error = f.call_tool("test_error_handling");
  CHECK(error["isError"] == true);
  CHECK(!get_string(error["content"][0], "text").value_or("").empty());
}

TEST_CASE("logging and progress tools send three notifications, 50 ms apart", "[conformance]") {
  SECTION("log messages at the level the client asked for") {
    Fixture f;
    f.session.log_level = "debug";
    f.call_tool("test_tool_with_logging");
    auto logs = f.client.sent_with_method("notifications/message");
    REQUIRE(logs.size() == 3);
    for (const Json& m : logs) CHECK(m["params"]["level"] == "info");
    CHECK(f.effects == std::vector<std::string>{"sleep", "sleep"});
  }
  SECTION("no log messages when the client asked only for errors") {
    Fixture f;
    f.session.log_level = "error";
    f.call_tool("test_tool_with_logging");
    CHECK(f.client.sent.empty());
  }
  SECTION("progress 0, 50, 100 of 100 for the request's token") {
    Fixture f;
    f.progress_token = "progress-test-1";
    f.call_tool("test_tool_with_progress");
    auto progress = f.client.sent_with_method("notifications/progress");
    REQUIRE(progress.size() == 3);
    std::vector<double> values;
    for (const Json& m : progress) {
      CHECK(m["params"]["progressToken"] == "progress-test-1");
      CHECK(m["params"]["total"] == 100);
      values.push_back(m["params"]["progress"].get<double>());
    }
    CHECK(values == std::vector<double>{0, 50, 100});
    CHECK(f.effects == std::vector<std::string>{"sleep", "sleep"});
  }
}

TEST_CASE("test_sampling asks the client's model and returns its answer", "[conformance]") {
  Fixture f;
  f.client.reply = {{"result",
                     {{"role", "assistant"},
                      {"content", {{"type", "text"}, {"text", "a reply"}}},
                      {"model", "m"}}}};
  Json result = f.call_tool("test_sampling", {{"prompt", "Say hi"}});
  auto requests = f.client.sent_with_method("sampling/createMessage");
  REQUIRE(requests.size() == 1);
  const Json& params = requests[0]["params"];
  CHECK(params["maxTokens"] == 100);
  CHECK(params["messages"][0]["role"] == "user");
  CHECK(params["messages"][0]["content"] == Json{{"type", "text"}, {"text", "Say hi"}});
  CHECK(result["content"][0]["text"] == "LLM response: a reply");

  Fixture no_sampling;
  no_sampling.session.client_capabilities = {{"elicitation", Json::object()}};
  CHECK(no_sampling.call_tool("test_sampling", {{"prompt", "Say hi"}})["isError"] == true);
  CHECK(no_sampling.client.sent.empty());
}

TEST_CASE("elicitation tools send the schemas the suite checks", "[conformance]") {
  SECTION("test_elicitation: username and email, both required") {
    Fixture f;
    f.client.reply = {
        {"result", {{"action", "accept"}, {"content", {{"username", "u"}, {"email", "e@x.io"}}}}}};
    Json result = f.call_tool("test_elicitation", {{"message", "Who are you?"}});
    auto requests = f.client.sent_with_method("elicitation/create");
    REQUIRE(requests.size() == 1);
    CHECK(requests[0]["params"]["message"] == "Who are you?");
    const Json& schema = requests[0]["params"]["requestedSchema"];
    CHECK(schema["type"] == "object");
    CHECK(schema["required"] == Json::array({"username", "email"}));
    std::string text = get_string(result["content"][0], "text").value_or("");
    CHECK(text.find("accept") != std::string::npos);
    CHECK(text.find("e@x.io") != std::string::npos);
  }
  SECTION("SEP-1034: a typed default for every primitive") {
    Fixture f;
    f.client.reply = {{"result", {{"action", "decline"}}}};
    f.call_tool("test_elicitation_sep1034_defaults");
    auto requests = f.client.sent_with_method("elicitation/create");
    REQUIRE(requests.size() == 1);
    const Json& p = requests[0]["params"]["requestedSchema"]["properties"];
    CHECK(p["name"]["type"] == "string");
    CHECK(p["name"]["default"] == "John Doe");
    CHECK(p["age"]["type"] == "integer");
    CHECK(p["age"]["default"].is_number_integer());
    CHECK(p["age"]["default"] == 30);
    CHECK(p["score"]["type"] == "number");
    CHECK(p["score"]["default"] == 95.5);
    CHECK(p["status"]["enum"] == Json::array({"active", "inactive", "pending"}));
    CHECK(p["status"]["default"] == "active");
    CHECK(p["verified"]["type"] == "boolean");
    CHECK(p["verified"]["default"] == true);
  }
  SECTION("SEP-1330: the five enum shapes") {
    Fixture f;
    f.client.reply = {{"result", {{"action", "cancel"}}}};
    f.call_tool("test_elicitation_sep1330_enums");
    auto requests = f.client.sent_with_method("elicitation/create");
    REQUIRE(requests.size() == 1);
    const Json& p = requests[0]["params"]["requestedSchema"]["properties"];
    CHECK(p["untitledSingle"]["enum"].is_array());
    CHECK(!find_member(p["untitledSingle"], "oneOf"));
    CHECK(p["titledSingle"]["oneOf"].size() == 3);
    for (const Json& o : p["titledSingle"]["oneOf"])
      CHECK((o["const"].is_string() && o["title"].is_string()));
    CHECK(!find_member(p["titledSingle"], "enum"));
    CHECK(p["legacyEnum"]["enumNames"].size() == p["legacyEnum"]["enum"].size());
    CHECK(p["untitledMulti"]["type"] == "array");
    CHECK(p["untitledMulti"]["items"]["type"] == "string");
    CHECK(p["untitledMulti"]["items"]["enum"].is_array());
    CHECK(p["titledMulti"]["type"] == "array");
    for (const Json& o : p["titledMulti"]["items"]["anyOf"])
      CHECK((o["const"].is_string() && o["title"].is_string()));
    CHECK(!find_member(p["titledMulti"]["items"], "enum"));
  }
}

TEST_CASE("resources, prompts and completion answer as the suite expects", "[conformance]") {
  Fixture f;
  Json text = f.request("resources/read", {{"uri", "test://static-text"}})["contents"][0];
  CHECK(text["mimeType"] == "text/plain");
  CHECK(!get_string(text, "text").value_or("").empty());

  Json binary = f.request("resources/read", {{"uri", "test://static-binary"}})["contents"][0];
  CHECK(binary["uri"] == "test://static-binary");
  CHECK(!get_string(binary, "blob").value_or("").empty());

  Json templated =
      f.request("resources/read", {{"uri", "test://template/123/data"}})["contents"][0];
  CHECK(templated["uri"] == "test://template/123/data");
  CHECK(get_string(templated, "text").value_or("").find("123") != std::string::npos);

  CHECK(f.request("resources/subscribe", {{"uri", "test://watched-resource"}}) == Json::object());
  CHECK(f.session.subscriptions.count("test://watched-resource") == 1);

  Json with_args =
      f.request("prompts/get", {{"name", "test_prompt_with_arguments"},
                                {"arguments", {{"arg1", "testValue1"}, {"arg2", "testValue2"}}}});
  std::string messages = dump_json(with_args["messages"]);
  CHECK(messages.find("testValue1") != std::string::npos);
  CHECK(messages.find("testValue2") != std::string::npos);

  Json embedded =
      f.request("prompts/get", {{"name", "test_prompt_with_embedded_resource"},
                                {"arguments", {{"resourceUri", "test://example-resource"}}}});
  CHECK(embedded["messages"][0]["content"]["type"] == "resource");
  CHECK(embedded["messages"][0]["content"]["resource"]["uri"] == "test://example-resource");

  Json image = f.request("prompts/get", {{"name", "test_prompt_with_image"}});
  CHECK(image["messages"][0]["content"]["type"] == "image");

  Json completion =
      f.request("completion/complete",
                {{"ref", {{"type", "ref/prompt"}, {"name", "test_prompt_with_arguments"}}},
                 {"argument", {{"name", "arg1"}, {"value", "test"}}}})["completion"];
  REQUIRE(completion["values"].is_array());
  for (const Json& v : completion["values"])
    CHECK((v.is_string() && v.get<std::string>().rfind("test", 0) == 0));
}
