// The 2026-07-28 stateless era as a client meets it: a fetch event through the Worker,
// answered without a session. Covers what every result must carry (resultType, the server's
// identity in _meta, caching hints on the cacheable methods, SEP-2549) and the Mcp-Name
// header checks (streamable-http "Standard headers": missing or different is 400 -32020).
#include <catch2/catch.hpp>

#include "app/app.hpp"
#include "mcp/mirrored_headers.hpp"
#include "mcp/server.hpp"
#include "support/fake_host.hpp"
#include "support/fixture_catalogs.hpp"

using namespace bmcp;

namespace {

constexpr const char* kMetaVersion = "io.modelcontextprotocol/protocolVersion";
constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";

app::CatalogSet stateless_catalogs(const app::Config&, const app::Services&) {
  mcp::Catalog c;
  mcp::ToolDefinition echo;
  echo.name = "echo";
  echo.description = "echoes";
  echo.input_schema = {{"type", "object"}, {"properties", {{"text", {{"type", "string"}}}}}};
  echo.handler = [](mcp::RequestContext&, const Json& args) -> Task<mcp::ToolResult> {
    co_return mcp::ToolResult::text(args.value("text", std::string("-")));
  };
  c.tools.push_back(echo);
  mcp::ToolDefinition slow;
  slow.name = "slow";
  slow.description = "reports its progress";
  slow.handler = [](mcp::RequestContext& ctx, const Json&) -> Task<mcp::ToolResult> {
    co_await ctx.progress(1, 2, "half way");
    co_await ctx.progress(2, 2, "done");
    co_return mcp::ToolResult::text("finished");
  };
  c.tools.push_back(slow);
  mcp::ToolDefinition sample;
  sample.name = "sample";
  sample.description = "needs the client's sampling capability";
  sample.required_client_capability = "sampling";
  sample.handler = [](mcp::RequestContext&, const Json&) -> Task<mcp::ToolResult> {
    co_return mcp::ToolResult::text("sampled");
  };
  c.tools.push_back(sample);
  mcp::ToolDefinition route;
  route.name = "route";
  route.description = "arguments a gateway may route on, mirrored into Mcp-Param-* headers";
  route.input_schema = {{"type", "object"},
                        {"properties",
                         {{"region", {{"type", "string"}, {"x-mcp-header", "Region"}}},
                          {"count", {{"type", "integer"}, {"x-mcp-header", "Count"}}},
                          {"dry", {{"type", "boolean"}, {"x-mcp-header", "Dry"}}}}}};
  route.handler = [](mcp::RequestContext&, const Json& args) -> Task<mcp::ToolResult> {
    co_return mcp::ToolResult::text("routed " + dump_json(args));
  };
  c.tools.push_back(route);
  mcp::ResourceDefinition live;
  live.uri = "test://live";
  live.name = "live";
  live.mime_type = "text/plain";
  live.read = [](mcp::RequestContext&, const std::string& uri,
                 const std::map<std::string, std::string>&) -> Task<mcp::ResourceContents> {
    co_return mcp::ResourceContents::text(uri, "text/plain", "now");
  };
  c.resources.push_back(live);
  mcp::ResourceDefinition guide = live;
  guide.uri = "test://guide";
  guide.name = "guide";
  guide.read = [](mcp::RequestContext&, const std::string& uri,
                  const std::map<std::string, std::string>&) -> Task<mcp::ResourceContents> {
    mcp::ResourceContents contents =
        mcp::ResourceContents::text(uri, "text/plain", "the same for all");
    contents.cache = mcp::CacheHint{3'600'000, true};
    co_return contents;
  };
  c.resources.push_back(guide);
  mcp::ResourceTemplateDefinition tmpl;
  tmpl.uri_template = "test://item/{id}";
  tmpl.name = "item";
  tmpl.read = live.read;
  c.resource_templates.push_back(tmpl);
  mcp::PromptDefinition prompt;
  prompt.name = "hello";
  prompt.get = [](mcp::RequestContext&, const std::map<std::string, std::string>&) -> Task<Json> {
    co_return Json{{"messages", Json::array()}};
  };
  c.prompts.push_back(prompt);
  return testing::one_catalog_for_everyone(c);
}

struct Stateless {
  testing::FakeHost host;
  std::unique_ptr<app::App> app;

  Stateless() {
    Json env = {{"AUTH_MODE", "none"}};
    auto created = app::App::create(env, stateless_catalogs, app::BuildFlavor::ConformanceFixture);
    app = std::move(std::get<std::unique_ptr<app::App>>(created));
  }

  // A 2026-07-28 request with the standard headers a conforming client sends; `name_header`
  // is Mcp-Name (left out when empty).
  std::pair<int, Json> send(const std::string& method, Json params,
                            const std::string& name_header = "",
                            Json extra_headers = Json::array()) {
    params["_meta"] = {{kMetaVersion, "2026-07-28"},
                       {"io.modelcontextprotocol/clientCapabilities", Json::object()}};
    return send_raw(method, std::move(params), name_header, "2026-07-28", std::move(extra_headers));
  }

  // The same without filling _meta in: `params` as given, and `version_header` as the
  // MCP-Protocol-Version header.
  std::pair<int, Json> send_raw(const std::string& method, Json params,
                                const std::string& name_header = "",
                                const std::string& version_header = "2026-07-28",
                                Json extra_headers = Json::array()) {
    Json body = {{"jsonrpc", "2.0"}, {"id", 5}, {"method", method}, {"params", params}};
    Json headers = Json::array({Json::array({"content-type", "application/json"}),
                                Json::array({"accept", "application/json, text/event-stream"}),
                                Json::array({"mcp-protocol-version", version_header}),
                                Json::array({"mcp-method", method})});
    if (!name_header.empty()) headers.push_back(Json::array({"mcp-name", name_header}));
    for (const Json& h : extra_headers) headers.push_back(h);
    Json event = {{"type", "fetch"},
                  {"request",
                   {{"method", "POST"},
                    {"url", "http://127.0.0.1:8787/mcp"},
                    {"headers", headers},
                    {"body", dump_json(body)}}}};
    const app::App* a = app.get();
    auto id = host.start([a, event](Io& io) { return a->handle(io, event); });
    host.pump();
    REQUIRE(host.done(id));
    const Json& r = host.result(id);
    auto parsed = parse_json(r.value("body", std::string()));
    INFO(dump_json(r));
    REQUIRE(parsed);
    return {static_cast<int>(r.value("status", 0)), *parsed};
  }
};

void check_identity(const Json& result) {
  REQUIRE(result.contains("_meta"));
  const Json& info = result["_meta"][kMetaServerInfo];
  CHECK(info["name"] == "broker-mcp");
  CHECK(info["version"].is_string());
}

}  // namespace

TEST_CASE(
    "2026-07-28: every cacheable result carries ttlMs and cacheScope, every result the server's "
    "identity",
    "[stateless][cache]") {
  Stateless s;
  for (const char* method : {"server/discover", "tools/list", "prompts/list", "resources/list",
                             "resources/templates/list"}) {
    INFO(method);
    auto [status, body] = s.send(method, Json::object());
    REQUIRE(status == 200);
    const Json& result = body["result"];
    CHECK(result["resultType"] == "complete");
    CHECK(result["ttlMs"] == 300000);
    CHECK(result["cacheScope"] == "private");
    check_identity(result);
  }
  SECTION("a live resource is stale at once and private; a shared guide says so") {
    auto [status, body] = s.send("resources/read", {{"uri", "test://live"}}, "test://live");
    REQUIRE(status == 200);
    CHECK(body["result"]["ttlMs"] == 0);
    CHECK(body["result"]["cacheScope"] == "private");
    check_identity(body["result"]);
    auto [status2, guide] = s.send("resources/read", {{"uri", "test://guide"}}, "test://guide");
    REQUIRE(status2 == 200);
    CHECK(guide["result"]["ttlMs"] == 3600000);
    CHECK(guide["result"]["cacheScope"] == "public");
    auto [status3, item] = s.send("resources/read", {{"uri", "test://item/7"}}, "test://item/7");
    REQUIRE(status3 == 200);
    CHECK(item["result"]["ttlMs"] == 0);
  }
  SECTION("a tool result carries the identity and no caching hint (tools/call is not cacheable)") {
    auto [status, body] =
        s.send("tools/call", {{"name", "echo"}, {"arguments", {{"text", "hi"}}}}, "echo");
    REQUIRE(status == 200);
    CHECK(body["result"]["content"][0]["text"] == "hi");
    CHECK_FALSE(body["result"].contains("ttlMs"));
    check_identity(body["result"]);
  }
}

TEST_CASE("2026-07-28: Mcp-Name must be present and mirror params.name or params.uri",
          "[stateless][headers]") {
  Stateless s;
  auto refused = [](const std::pair<int, Json>& answer, const std::string& words) {
    CHECK(answer.first == 400);
    CHECK(answer.second["error"]["code"] == -32020);
    CHECK_THAT(answer.second["error"]["message"].get<std::string>(), Catch::Contains(words));
  };
  SECTION("missing") {
    refused(s.send("tools/call", {{"name", "echo"}, {"arguments", Json::object()}}),
            "Mcp-Name is required");
    refused(s.send("resources/read", {{"uri", "test://live"}}), "Mcp-Name is required");
    refused(s.send("prompts/get", {{"name", "hello"}}), "Mcp-Name is required");
  }
  SECTION("naming something else than the body: refused, nothing runs") {
    refused(s.send("tools/call", {{"name", "echo"}, {"arguments", Json::object()}}, "status"),
            "must equal params.name");
    refused(s.send("resources/read", {{"uri", "test://live"}}, "test://guide"),
            "must equal params.uri");
    refused(s.send("prompts/get", {{"name", "hello"}}, "Hello"), "must equal params.name");
    // A broken base64 sentinel is not a name.
    refused(
        s.send("tools/call", {{"name", "echo"}, {"arguments", Json::object()}}, "=?base64?***?="),
        "must equal");
  }
  SECTION("equal, or base64-encoded as the transport allows for any value") {
    CHECK(s.send("tools/call", {{"name", "echo"}, {"arguments", Json::object()}}, "echo").first ==
          200);
    CHECK(s.send("prompts/get", {{"name", "hello"}}, "=?base64?aGVsbG8=?=").first == 200);
    CHECK(s.send("resources/read", {{"uri", "test://live"}}, "test://live").first == 200);
  }
  SECTION("methods without a mirrored name need no Mcp-Name") {
    CHECK(s.send("tools/list", Json::object()).first == 200);
  }
}

TEST_CASE("2026-07-28: an x-mcp-header argument must travel in its Mcp-Param header too",
          "[stateless][headers]") {
  Stateless s;
  auto call = [&](Json arguments, Json headers) {
    return s.send("tools/call", {{"name", "route"}, {"arguments", std::move(arguments)}}, "route",
                  std::move(headers));
  };
  auto refused = [](const std::pair<int, Json>& answer, const std::string& words) {
    CHECK(answer.first == 400);
    CHECK(answer.second["error"]["code"] == -32020);
    CHECK_THAT(answer.second["error"]["message"].get<std::string>(), Catch::Contains(words));
  };
  auto header = [](const char* name, const char* value) { return Json::array({name, value}); };
  SECTION(
      "agreeing headers: served (case-insensitive names, surrounding spaces, base64, numbers)") {
    auto answer =
        call({{"region", "us-west1"}, {"count", 42}, {"dry", true}},
             Json::array({header("mcp-param-region", " us-west1 "), header("Mcp-Param-Count", "42"),
                          header("MCP-PARAM-DRY", "true")}));
    CHECK(answer.first == 200);
    CHECK(answer.second["result"]["isError"] != true);
    // "Hello" as =?base64?…?=, and 42.0 in the body is the integer 42.
    CHECK(call({{"region", "Hello"}, {"count", 42.0}},
               Json::array({header("Mcp-Param-Region", "=?base64?SGVsbG8=?="),
                            header("Mcp-Param-Count", "42")}))
              .first == 200);
    // Without the exact wrapper a value is literal.
    CHECK(call({{"region", "=?base64?SGVsbG8="}},
               Json::array({header("Mcp-Param-Region", "=?base64?SGVsbG8=")}))
              .first == 200);
    CHECK(call({{"region", "SGVsbG8="}}, Json::array({header("Mcp-Param-Region", "SGVsbG8=")}))
              .first == 200);
  }
  SECTION("an absent or null argument needs no header") {
    CHECK(call(Json::object(), Json::array()).first == 200);
    CHECK(call({{"region", nullptr}}, Json::array()).first == 200);
  }
  SECTION("disagreeing, missing or broken headers: refused before the tool runs") {
    refused(call({{"region", "us-west1"}}, Json::array()), "Mcp-Param-Region is required");
    refused(call({{"region", "us-west1"}}, Json::array({header("Mcp-Param-Region", "eu-north1")})),
            "must equal arguments.region");
    refused(call({{"region", "Hello"}},
                 Json::array({header("Mcp-Param-Region", "=?base64?SGVsbG8?=")})),
            "not valid");
    refused(call({{"region", "Hello"}},
                 Json::array({header("Mcp-Param-Region", "=?base64?SGVs!!!bG8=?=")})),
            "not valid");
    refused(call({{"count", 7}}, Json::array({header("Mcp-Param-Count", "07x")})),
            "must equal arguments.count");
    refused(call({{"dry", false}}, Json::array({header("Mcp-Param-Dry", "true")})),
            "must equal arguments.dry");
    refused(call(Json::object(), Json::array({header("Mcp-Param-Region", "us-west1")})),
            "is sent but arguments.region is not");
  }
}

TEST_CASE("x-mcp-header declarations are enforced only where the spec allows them",
          "[stateless][headers]") {
  auto problem = [](Json properties) {
    return mcp::param_header_declarations(
               {{"type", "object"}, {"properties", std::move(properties)}})
        .problem;
  };
  CHECK(problem({{"a", {{"type", "string"}, {"x-mcp-header", "A"}}}}).empty());
  CHECK_THAT(problem({{"a", {{"type", "number"}, {"x-mcp-header", "A"}}}}),
             Catch::Contains("string, integer or boolean"));
  CHECK_THAT(problem({{"a", {{"type", "string"}, {"x-mcp-header", "A B"}}}}),
             Catch::Contains("token"));
  CHECK_THAT(problem({{"a", {{"type", "string"}, {"x-mcp-header", ""}}}}),
             Catch::Contains("token"));
  CHECK_THAT(problem({{"a", {{"type", "string"}, {"x-mcp-header", "Id"}}},
                      {"b", {{"type", "string"}, {"x-mcp-header", "ID"}}}}),
             Catch::Contains("twice"));
  CHECK_THAT(
      problem({{"a", {{"type", "array"}, {"items", {{"type", "string"}, {"x-mcp-header", "A"}}}}}}),
      Catch::Contains("top-level"));
  Json nested = {{"type", "object"},
                 {"anyOf", Json::array({{{"properties", {{"a", {{"x-mcp-header", "A"}}}}}}})}};
  CHECK_THAT(mcp::param_header_declarations(nested).problem, Catch::Contains("top-level"));
  auto declared = mcp::param_header_declarations(
      {{"type", "object"},
       {"properties",
        {{"a", {{"type", "integer"}, {"x-mcp-header", "Count"}}}, {"b", {{"type", "string"}}}}}});
  REQUIRE(declared.params.size() == 1);
  CHECK(declared.params[0].property == "a");
  CHECK(declared.params[0].name == "Count");
}

namespace {

Task<Json> list_tools_in_session(Io& io, const mcp::Catalog* catalog) {
  mcp::McpServer server(*catalog);
  mcp::SessionState session;
  session.protocol_version = "2025-11-25";
  mcp::NoOutbound none;
  mcp::Principal principal;
  mcp::RequestContext context(io, principal, none, "2025-11-25", Json::object(), Json(), "");
  mcp::RpcMessage msg;
  msg.id = 1;
  msg.method = "tools/list";
  msg.params = Json::object();
  co_return co_await server.handle_request(msg, session, context);
}

}  // namespace

TEST_CASE("session-era results carry no 2026-07-28 fields", "[stateless][cache]") {
  testing::FakeHost host;
  const mcp::Catalog catalog = stateless_catalogs(app::Config{}, app::Services{}).signed_out;
  const mcp::Catalog* c = &catalog;
  const Json answer = host.run([c](Io& io) { return list_tools_in_session(io, c); });
  CHECK(answer["result"]["tools"].size() == 4);  // echo, slow, sample and route
  CHECK_FALSE(answer["result"].contains("ttlMs"));
  CHECK_FALSE(answer["result"].contains("cacheScope"));
  CHECK_FALSE(answer["result"].contains("resultType"));
}

TEST_CASE(
    "2026-07-28: _meta, versions and headers are checked as SEP-2575 says, errors carry the id",
    "[stateless][versioning]") {
  Stateless s;
  const Json caps = {{"io.modelcontextprotocol/clientCapabilities", Json::object()}};
  SECTION("no _meta, or no protocolVersion in it, or no clientCapabilities: 400 Invalid params") {
    for (const Json& params :
         {Json::object(), Json{{"_meta", caps}}, Json{{"_meta", {{kMetaVersion, "2026-07-28"}}}}}) {
      INFO(dump_json(params));
      auto [status, body] = s.send_raw("tools/list", params);
      CHECK(status == 400);
      CHECK(body["error"]["code"] == -32602);
      CHECK(body["id"] == 5);
    }
  }
  SECTION(
      "a header that says another version than the body: HeaderMismatch, before the version is "
      "judged") {
    Json params = {{"_meta",
                    {{kMetaVersion, "2025-11-25"},
                     {"io.modelcontextprotocol/clientCapabilities", Json::object()}}}};
    auto [status, body] = s.send_raw("tools/list", params);
    CHECK(status == 400);
    CHECK(body["error"]["code"] == -32020);
    CHECK(body["id"] == 5);
  }
  SECTION(
      "an unknown version in the header: UnsupportedProtocolVersion with the supported ones and "
      "the id") {
    Json params = {{"_meta",
                    {{kMetaVersion, "2027-01-01"},
                     {"io.modelcontextprotocol/clientCapabilities", Json::object()}}}};
    auto [status, body] = s.send_raw("tools/list", params, "", "2027-01-01");
    CHECK(status == 400);
    CHECK(body["error"]["code"] == -32022);
    CHECK(body["error"]["data"]["requested"] == "2027-01-01");
    CHECK(body["error"]["data"]["supported"][0] == "2026-07-28");
    CHECK(body["id"] == 5);
  }
  SECTION("initialize does not exist on 2026-07-28, even without _meta: 404 Method not found") {
    auto [status, body] =
        s.send_raw("initialize", {{"protocolVersion", "2026-07-28"},
                                  {"capabilities", Json::object()},
                                  {"clientInfo", {{"name", "t"}, {"version", "1"}}}});
    CHECK(status == 404);
    CHECK(body["error"]["code"] == -32601);
  }
  SECTION("header values are read without the whitespace around them (RFC 9110 §5.5)") {
    auto [status, body] =
        s.send("tools/call", {{"name", "echo"}, {"arguments", {{"text", "x"}}}}, "  echo ");
    CHECK(status == 200);
    CHECK(body.contains("result"));
  }
  SECTION("server/discover offers no resources.subscribe (subscriptions/listen is not served)") {
    auto [status, body] = s.send("server/discover", Json::object());
    REQUIRE(status == 200);
    CHECK_FALSE(body["result"]["capabilities"]["resources"].contains("subscribe"));
  }
}

TEST_CASE("2026-07-28: progress of a request streams on its own response, then the result ends it",
          "[stateless][progress]") {
  Stateless s;
  auto call = [&](Json meta) {
    Json body = {
        {"jsonrpc", "2.0"},
        {"id", 9},
        {"method", "tools/call"},
        {"params", {{"name", "slow"}, {"arguments", Json::object()}, {"_meta", std::move(meta)}}}};
    Json headers =
        Json::array({Json::array({"content-type", "application/json"}),
                     Json::array({"accept", "application/json, text/event-stream"}),
                     Json::array({"mcp-protocol-version", "2026-07-28"}),
                     Json::array({"mcp-method", "tools/call"}), Json::array({"mcp-name", "slow"})});
    Json event = {{"type", "fetch"},
                  {"request",
                   {{"method", "POST"},
                    {"url", "http://127.0.0.1:8787/mcp"},
                    {"headers", headers},
                    {"body", dump_json(body)}}}};
    const app::App* a = s.app.get();
    auto id = s.host.start([a, event](Io& io) { return a->handle(io, event); });
    s.host.pump();
    REQUIRE(s.host.done(id));
    return id;
  };
  Json meta = {{kMetaVersion, "2026-07-28"},
               {"io.modelcontextprotocol/clientCapabilities", Json::object()}};
  SECTION("with a progressToken: an SSE stream of progress, then the result") {
    Json with_token = meta;
    with_token["progressToken"] = "p-1";
    auto id = call(with_token);
    const auto& streamed = s.host.response(id);
    REQUIRE(streamed.started);
    CHECK(streamed.status == 200);
    std::vector<Json> messages;
    std::size_t pos = 0;
    while ((pos = streamed.body.find("data: ", pos)) != std::string::npos) {
      auto end = streamed.body.find('\n', pos);
      messages.push_back(*parse_json(streamed.body.substr(pos + 6, end - pos - 6)));
      pos = end;
    }
    REQUIRE(messages.size() == 3);
    CHECK(messages[0]["method"] == "notifications/progress");
    CHECK(messages[0]["params"]["progressToken"] == "p-1");
    CHECK(messages[1]["params"]["progress"] == 2);
    CHECK(messages[2]["id"] == 9);
    CHECK(messages[2]["result"]["resultType"] == "complete");
    CHECK(messages[2]["result"]["content"][0]["text"] == "finished");
  }
  SECTION("without one: a single JSON answer") {
    auto id = call(meta);
    CHECK_FALSE(s.host.response(id).started);
    auto body = parse_json(s.host.result(id).value("body", std::string()));
    REQUIRE(body);
    CHECK((*body)["result"]["content"][0]["text"] == "finished");
  }
}

TEST_CASE("a tool that needs a client capability the client did not declare is refused, never run",
          "[stateless][capabilities]") {
  Stateless s;
  auto [status, body] =
      s.send("tools/call", {{"name", "sample"}, {"arguments", Json::object()}}, "sample");
  CHECK(status == 400);
  CHECK(body["error"]["code"] == -32021);
  CHECK(body["error"]["data"]["requiredCapabilities"]["sampling"].is_object());
  CHECK(body["id"] == 5);
  // Declared: it runs.
  Json params = {
      {"name", "sample"},
      {"arguments", Json::object()},
      {"_meta",
       {{kMetaVersion, "2026-07-28"},
        {"io.modelcontextprotocol/clientCapabilities", {{"sampling", Json::object()}}}}}};
  auto [ok_status, ok_body] = s.send_raw("tools/call", params, "sample");
  CHECK(ok_status == 200);
  CHECK(ok_body["result"]["content"][0]["text"] == "sampled");
}
