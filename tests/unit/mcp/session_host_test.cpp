// The stateful MCP transports driven the way the Worker drives them: a fetch event through
// the gateway, then the forwarded request as a Durable Object event, against a simulated
// platform. Covers the session life cycle, lazy SSE, a server-to-client request answered
// by a separate POST, cancellation, batches and the legacy SSE transport.
#include <catch2/catch.hpp>

#include "app/app.hpp"
#include "effects/host_api.hpp"
#include "mcp/session_host.hpp"
#include "mcp/session_in_isolate.hpp"
#include "mcp/sse.hpp"
#include "mcp/stream_resumption.hpp"
#include "support/fake_host.hpp"
#include "support/sse_messages.hpp"
#include "support/fixture_catalogs.hpp"

using namespace bmcp;

namespace {

app::CatalogSet test_catalogs(const app::Config&, const app::Services&) {
  mcp::Catalog c;
  mcp::ToolDefinition ask;
  ask.name = "ask";
  ask.description = "asks the person something";
  ask.handler = [](mcp::RequestContext& ctx, const Json&) -> Task<mcp::ToolResult> {
    co_await ctx.progress(1, 2, "asking");
    Json schema = {{"type", "object"}, {"properties", {{"ok", {{"type", "boolean"}}}}}};
    mcp::ElicitationResult r = co_await ctx.elicit("Proceed?", std::move(schema));
    if (r.action != mcp::ElicitationResult::Action::Accept)
      co_return mcp::ToolResult::error("not accepted");
    co_return mcp::ToolResult::text("accepted:" + dump_json(r.content));
  };
  c.tools.push_back(ask);
  mcp::ToolDefinition echo;
  echo.name = "echo";
  echo.description = "echoes";
  echo.input_schema = {{"type", "object"},
                       {"properties", {{"text", {{"type", "string"}}}}},
                       {"required", {"text"}},
                       {"additionalProperties", false}};
  echo.handler = [](mcp::RequestContext&, const Json& args) -> Task<mcp::ToolResult> {
    co_return mcp::ToolResult::text(args["text"].get<std::string>());
  };
  c.tools.push_back(echo);
  mcp::ToolDefinition look;
  look.name = "look";
  look.description = "reads and says so";
  look.annotations.read_only = true;
  look.handler = [](mcp::RequestContext& ctx, const Json&) -> Task<mcp::ToolResult> {
    co_return mcp::ToolResult::text("seen by " + ctx.protocol_version());
  };
  c.tools.push_back(look);
  return testing::one_catalog_for_everyone(c);
}

struct Harness {
  testing::FakeHost host;
  std::unique_ptr<app::App> app;
  std::string session;

  Harness() {
    // The transports without sign-in (as the conformance fixture runs); sign-in has its own
    // tests (tests/unit/signin/).
    Json env = {{"AUTH_MODE", "none"}};
    auto created = app::App::create(env, test_catalogs, app::BuildFlavor::ConformanceFixture);
    app = std::move(std::get<std::unique_ptr<app::App>>(created));
  }

  static Json request(std::string method, std::string body,
                      std::vector<std::pair<std::string, std::string>> extra = {},
                      std::string url = "http://127.0.0.1:8787/mcp") {
    Json headers = Json::array({Json::array({"content-type", "application/json"}),
                                Json::array({"accept", "application/json, text/event-stream"})});
    for (auto& [k, v] : extra) headers.push_back(Json::array({k, v}));
    return {{"method", method}, {"url", url}, {"headers", headers}, {"body", body}};
  }

  // Runs a Worker fetch; follows a forward into the session object (as the shim does).
  testing::FakeHost::CallId send(Json req) {
    const app::App* a = app.get();
    Json event = {{"type", "fetch"}, {"request", req}};
    auto id = host.start([a, event](Io& io) { return a->handle(io, event); });
    host.pump();
    REQUIRE(host.done(id));
    Json result = host.result(id);
    if (result["kind"] != "forward") return id;
    Json object_event = {{"type", "object.fetch"},
                         {"object", {{"class", "McpSession"}, {"name", result["name"]}}},
                         {"request", result["request"]}};
    auto oid = host.start([a, object_event](Io& io) { return a->handle(io, object_event); },
                          result["name"].get<std::string>());
    host.pump();
    return oid;
  }

  // The response as the client sees it: status and body (JSON or SSE text).
  std::pair<int, std::string> answer(testing::FakeHost::CallId id) {
    const Json& r = host.result(id);
    const auto& captured = host.response(id);
    if (captured.started) return {captured.status, captured.body};
    return {static_cast<int>(r.value("status", 0)), r.value("body", std::string())};
  }

  std::string header(testing::FakeHost::CallId id, const std::string& name) {
    const Json& r = host.result(id);
    if (r.contains("headers"))
      for (const auto& h : r["headers"])
        if (http::iequals(h[0].get<std::string>(), name)) return h[1].get<std::string>();
    for (const auto& [k, v] : host.response(id).headers)
      if (http::iequals(k, name)) return v;
    return "";
  }

  void initialize(Json capabilities = Json::object()) {
    Json init = {{"jsonrpc", "2.0"},
                 {"id", 1},
                 {"method", "initialize"},
                 {"params",
                  {{"protocolVersion", "2025-11-25"},
                   {"capabilities", capabilities},
                   {"clientInfo", {{"name", "test"}, {"version", "1"}}}}}};
    auto id = send(request("POST", init.dump()));
    REQUIRE(answer(id).first == 200);
    session = header(id, "Mcp-Session-Id");
    REQUIRE(session.size() == 32);
    auto ack = send(request("POST", R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
                            {{"mcp-session-id", session}}));
    REQUIRE(answer(ack).first == 202);
  }

  testing::FakeHost::CallId post(const std::string& body) {
    return send(request("POST", body,
                        {{"mcp-session-id", session}, {"mcp-protocol-version", "2025-11-25"}}));
  }
};

}  // namespace

TEST_CASE("session life cycle over Streamable HTTP", "[transport]") {
  Harness h;
  h.initialize();
  CHECK(h.host.storage(h.session).count("session") == 1);

  SECTION("requests in the session are answered with JSON") {
    auto [status, body] = h.answer(h.post(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})"));
    CHECK(status == 200);
    auto j = parse_json(body);
    REQUIRE(j);
    CHECK((*j)["result"]["tools"].size() == 3);
  }
  SECTION("a second initialize on the session is refused") {
    auto [status, body] =
        h.answer(h.post(R"({"jsonrpc":"2.0","id":2,"method":"initialize","params":{}})"));
    CHECK(status == 400);
  }
  SECTION("DELETE ends the session and later requests get 404") {
    auto del = h.send(Harness::request("DELETE", "", {{"mcp-session-id", h.session}}));
    CHECK(h.answer(del).first == 200);
    CHECK(h.answer(h.post(R"({"jsonrpc":"2.0","id":3,"method":"ping"})")).first == 404);
  }
  SECTION("an unknown session id gets 404, a missing one 400") {
    auto unknown = h.send(Harness::request("POST", R"({"jsonrpc":"2.0","id":3,"method":"ping"})",
                                           {{"mcp-session-id", std::string(32, 'a')}}));
    CHECK(h.answer(unknown).first == 404);
    auto missing = h.send(Harness::request("POST", R"({"jsonrpc":"2.0","id":3,"method":"ping"})"));
    CHECK(h.answer(missing).first == 400);
  }
  SECTION("schema violations are reported precisely as tool errors") {
    auto [status, body] = h.answer(h.post(
        R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{"text":5}}})"));
    auto j = parse_json(body);
    REQUIRE(j);
    CHECK((*j)["result"]["isError"] == true);
    CHECK_THAT((*j)["result"]["content"][0]["text"].get<std::string>(),
               Catch::Contains("arguments.text"));
  }
}

TEST_CASE("transport checks happen before any session work", "[transport]") {
  Harness h;
  auto status_of = [&](Json req) { return h.answer(h.send(std::move(req))).first; };
  const std::string ping = R"({"jsonrpc":"2.0","id":1,"method":"ping"})";
  CHECK(status_of(Harness::request("POST", ping, {{"origin", "http://evil.example.com"}})) == 403);
  Json no_sse = Harness::request("POST", ping);
  no_sse["headers"][1][1] = "application/json";
  CHECK(status_of(no_sse) == 406);
  Json wrong_type = Harness::request("POST", ping);
  wrong_type["headers"][0][1] = "text/plain";
  CHECK(status_of(wrong_type) == 415);
  CHECK(status_of(Harness::request("POST", "{not json")) == 400);
  CHECK(status_of(Harness::request("POST", ping, {{"mcp-protocol-version", "1999-01-01"}})) == 400);
  CHECK(status_of(Harness::request("PUT", ping)) == 405);
  CHECK(h.host.objects.empty());  // no session object was even touched
}

TEST_CASE("a server-to-client request is answered by a separate POST", "[transport][elicitation]") {
  Harness h;
  h.initialize({{"elicitation", Json::object()}});
  auto call = h.post(
      R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"ask","arguments":{},"_meta":{"progressToken":"p1"}}})");
  REQUIRE_FALSE(h.host.done(call));  // parked, waiting for the person's answer
  const auto& stream = h.host.response(call);
  REQUIRE(stream.started);  // the answer became an SSE stream on the first message
  auto messages = testing::sse_messages(stream.body);
  REQUIRE(messages.size() == 2);
  CHECK(messages[0]["method"] == "notifications/progress");
  CHECK(messages[0]["params"]["progressToken"] == "p1");
  CHECK(messages[1]["method"] == "elicitation/create");
  Json request_id = messages[1]["id"];

  SECTION("accepted") {
    Json reply = {{"jsonrpc", "2.0"},
                  {"id", request_id},
                  {"result", {{"action", "accept"}, {"content", {{"ok", true}}}}}};
    auto ack = h.post(reply.dump());
    CHECK(h.answer(ack).first == 202);
    h.host.pump();
    REQUIRE(h.host.done(call));
    auto all = testing::sse_messages(h.host.response(call).body);
    CHECK(all.back()["id"] == 7);
    CHECK(all.back()["result"]["content"][0]["text"] == "accepted:{\"ok\":true}");
  }
  SECTION("declined") {
    Json reply = {{"jsonrpc", "2.0"}, {"id", request_id}, {"result", {{"action", "decline"}}}};
    h.post(reply.dump());
    h.host.pump();
    REQUIRE(h.host.done(call));
    CHECK(testing::sse_messages(h.host.response(call).body).back()["result"]["isError"] == true);
  }
  SECTION("cancelled by the client: the call stops and sends no response") {
    auto cancel = h.post(
        R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,"reason":"user"}})");
    CHECK(h.answer(cancel).first == 202);
    h.host.pump();
    CHECK_FALSE(h.host.done(call));
    CHECK(testing::sse_messages(h.host.response(call).body).size() == 2);
  }
  SECTION("no answer: the wait times out and the tool reports it") {
    h.host.advance(10 * 60 * 1000);
    h.host.pump();
    REQUIRE(h.host.done(call));
    CHECK(testing::sse_messages(h.host.response(call).body).back()["result"]["isError"] == true);
  }
}

// The ids of an SSE body's events, in order.
std::vector<std::string> sse_ids(const std::string& body) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = body.find("id: ", pos)) != std::string::npos) {
    auto end = body.find('\n', pos);
    out.push_back(body.substr(pos + 4, end - pos - 4));
    pos = end;
  }
  return out;
}

TEST_CASE("a dropped stream resumes with Last-Event-ID and delivers the result once",
          "[transport][resumption]") {
  Harness h;
  h.initialize({{"elicitation", Json::object()}});
  auto call = h.post(
      R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"ask","arguments":{},"_meta":{"progressToken":"p1"}}})");
  REQUIRE_FALSE(h.host.done(call));
  const std::string first_body = h.host.response(call).body;
  std::vector<std::string> ids = sse_ids(first_body);
  REQUIRE(ids.size() == 2);  // progress, then elicitation/create: every event has an id
  CHECK(ids[0] != ids[1]);
  CHECK(ids[0].substr(0, ids[0].find('-')) == ids[1].substr(0, ids[1].find('-')));  // one stream

  // The connection drops after the first event; the client resumes from it elsewhere.
  auto resumed = h.send(Harness::request(
      "GET", "",
      {{"mcp-session-id", h.session}, {"last-event-id", ids[0]}, {"accept", "text/event-stream"}}));
  REQUIRE_FALSE(h.host.done(resumed));
  REQUIRE(h.host.response(resumed).started);
  std::vector<Json> missed = testing::sse_messages(h.host.response(resumed).body);
  REQUIRE(missed.size() == 1);
  CHECK(missed[0]["method"] == "elicitation/create");
  CHECK(sse_ids(h.host.response(resumed).body) == std::vector<std::string>{ids[1]});

  Json reply = {{"jsonrpc", "2.0"},
                {"id", missed[0]["id"]},
                {"result", {{"action", "accept"}, {"content", {{"ok", true}}}}}};
  CHECK(h.answer(h.post(reply.dump())).first == 202);
  h.host.pump();
  REQUIRE(h.host.done(call));
  REQUIRE(h.host.done(resumed));  // the request's answer ends the resumed stream
  std::vector<Json> after = testing::sse_messages(h.host.response(resumed).body);
  int answers = 0;
  for (const Json& m : after) answers += m.contains("id") && m["id"] == 7 && m.contains("result");
  CHECK(answers == 1);
  CHECK(after.back()["result"]["content"][0]["text"] == "accepted:{\"ok\":true}");

  // Taken once: resuming again from the same event finds nothing more (and waits, bounded).
  auto again = h.send(Harness::request(
      "GET", "",
      {{"mcp-session-id", h.session}, {"last-event-id", ids[0]}, {"accept", "text/event-stream"}}));
  h.host.advance(mcp::kResumeWaitMs + 1000);
  h.host.pump();
  REQUIRE(h.host.done(again));
  CHECK(testing::sse_messages(h.host.response(again).body).empty());
}

TEST_CASE("GET /mcp: the session's stream for server messages, or 400/404",
          "[transport][resumption]") {
  Harness h;
  h.initialize();
  auto open = h.send(Harness::request(
      "GET", "", {{"mcp-session-id", h.session}, {"accept", "text/event-stream"}}));
  REQUIRE(h.host.response(open).started);
  CHECK(h.host.response(open).status == 200);
  CHECK(h.header(open, "Content-Type") == "text/event-stream");
  auto bad = h.send(Harness::request("GET", "",
                                     {{"mcp-session-id", h.session},
                                      {"last-event-id", "../../x"},
                                      {"accept", "text/event-stream"}}));
  CHECK(h.answer(bad).first == 400);
  auto unknown = h.send(Harness::request(
      "GET", "", {{"mcp-session-id", std::string(32, 'b')}, {"accept", "text/event-stream"}}));
  CHECK(h.answer(unknown).first == 404);
  auto missing = h.send(Harness::request("GET", "", {{"accept", "text/event-stream"}}));
  CHECK(h.answer(missing).first == 400);
}

TEST_CASE("elicitation is not attempted when the client did not declare it",
          "[transport][elicitation]") {
  Harness h;
  h.initialize();
  auto call = h.post(
      R"({"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"ask","arguments":{}}})");
  REQUIRE(h.host.done(call));
  auto j = parse_json(h.answer(call).second);
  REQUIRE(j);
  CHECK((*j)["result"]["isError"] == true);
}

TEST_CASE("batches exist only in 2025-03-26", "[transport]") {
  Harness h;
  Json init = {{"jsonrpc", "2.0"},
               {"id", 1},
               {"method", "initialize"},
               {"params",
                {{"protocolVersion", "2025-03-26"},
                 {"capabilities", Json::object()},
                 {"clientInfo", {{"name", "t"}, {"version", "1"}}}}}};
  auto id = h.send(Harness::request("POST", init.dump()));
  h.session = h.header(id, "Mcp-Session-Id");
  auto [status, body] = h.answer(h.post(
      R"([{"jsonrpc":"2.0","id":2,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":3,"method":"tools/list"}])"));
  CHECK(status == 200);
  auto j = parse_json(body);
  REQUIRE(j);
  REQUIRE(j->is_array());
  CHECK(j->size() == 2);

  Harness modern;
  modern.initialize();
  CHECK(modern.answer(modern.post(R"([{"jsonrpc":"2.0","id":2,"method":"ping"}])")).first == 400);
}

TEST_CASE("legacy HTTP+SSE: responses travel on the GET stream", "[transport][sse]") {
  Harness h;
  auto open = h.send(Harness::request("GET", "", {}, "http://127.0.0.1:8787/sse"));
  const auto& stream = h.host.response(open);
  REQUIRE(stream.started);
  auto endpoint_pos = stream.body.find("event: endpoint\ndata: /sse/message?sessionId=");
  REQUIRE(endpoint_pos != std::string::npos);
  std::string session = stream.body.substr(stream.body.find("sessionId=") + 10, 32);
  std::string url = "http://127.0.0.1:8787/sse/message?sessionId=" + session;

  auto init = h.send(Harness::request(
      "POST",
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})",
      {}, url));
  CHECK(h.host.response(init).status == 202);
  auto list = h.send(
      Harness::request("POST", R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})", {}, url));
  CHECK(h.host.response(list).status == 202);
  auto messages = testing::sse_messages(h.host.streams.at("sse"));
  REQUIRE(messages.size() == 2);
  CHECK(messages[0]["result"]["protocolVersion"] == "2024-11-05");
  CHECK(messages[1]["result"]["tools"].size() == 3);

  auto bogus = h.send(
      Harness::request("POST", R"({"jsonrpc":"2.0","id":3,"method":"ping"})", {},
                       "http://127.0.0.1:8787/sse/message?sessionId=" + std::string(32, 'b')));
  CHECK(h.answer(bogus).first == 404);
}

TEST_CASE("nesting 100,000 deep is refused with -32700 before anything copies it",
          "[transport][limits]") {
  Harness h;
  h.initialize();
  const int depth = 100'000;
  std::string deep;
  for (int i = 0; i < depth; ++i) deep += R"({"a":)";
  deep += "1" + std::string(depth, '}');
  auto refused = [&](testing::FakeHost::CallId id) {
    auto [status, body] = h.answer(id);
    CHECK(status == 400);
    auto j = parse_json(body);
    REQUIRE(j);
    CHECK((*j)["error"]["code"] == -32700);
    CHECK_THAT((*j)["error"]["message"].get<std::string>(),
               Catch::Contains("nested deeper than 64 levels"));
  };
  // A stateless (2026-07-28) request whose params nest that deep.
  refused(h.send(Harness::request(
      "POST",
      R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}},"name":"echo","arguments":)" +
          deep + "}}",
      {{"mcp-protocol-version", "2026-07-28"}, {"mcp-method", "tools/call"}})));
  // initialize with capabilities nested that deep.
  refused(h.send(Harness::request(
      "POST",
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":)" +
          deep + R"(,"clientInfo":{"name":"x","version":"1"}}})")));
  // Inside the session.
  refused(h.post(
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":)" +
      deep + "}}"));
  // The session still answers.
  auto [status, body] = h.answer(h.post(R"({"jsonrpc":"2.0","id":3,"method":"ping"})"));
  CHECK(status == 200);
  // A legacy SSE session's message endpoint: 400 with the reason (the stream carries no
  // JSON-RPC error for a message that cannot be read).
  auto open = h.send(Harness::request("GET", "", {}, "http://127.0.0.1:8787/sse"));
  const std::string& stream = h.host.response(open).body;
  std::string url = "http://127.0.0.1:8787/sse/message?sessionId=" +
                    stream.substr(stream.find("sessionId=") + 10, 32);
  auto legacy = h.answer(h.send(Harness::request("POST", deep, {}, url)));
  CHECK(legacy.first == 400);
  CHECK_THAT(legacy.second, Catch::Contains("JSON nested deeper than 64 levels"));
}

// Session requests that need nothing but the session's record are answered in the isolate
// that received them (mcp/session_in_isolate.hpp); the record comes from the object.
TEST_CASE("plain session requests are answered in the isolate from the session's record",
          "[transport][in-isolate]") {
  Harness h;
  int peeks = 0;
  // The object's record endpoint, as the shim would reach it: the object's own storage.
  h.host.object_fetch = [&h, &peeks](const Json& args) -> Json {
    ++peeks;
    CHECK(args["request"]["url"].get<std::string>().find(mcp::kSessionRecordPath) !=
          std::string::npos);
    auto& storage = h.host.storage(args["name"].get<std::string>());
    if (!storage.count("session"))
      return {{"status", 404}, {"headers", Json::array()}, {"body", "{}"}};
    return {{"status", 200}, {"headers", Json::array()}, {"body", storage["session"].dump()}};
  };
  h.initialize();
  // What the Worker's own call answers, without following a forward: "response" when it
  // was answered in the isolate, "forward" when it goes to the session object.
  auto worker_kind = [&h](const Json& message, const std::string& session) {
    Json event = {
        {"type", "fetch"},
        {"request", Harness::request("POST", message.dump(), {{"mcp-session-id", session}})}};
    auto id = h.host.start([a = h.app.get(), event](Io& io) { return a->handle(io, event); });
    h.host.pump();
    return h.host.result(id).value("kind", std::string());
  };
  const Json list = {{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}};
  const Json look = {{"jsonrpc", "2.0"},
                     {"id", 3},
                     {"method", "tools/call"},
                     {"params", {{"name", "look"}, {"arguments", Json::object()}}}};

  SECTION("answered without a forward, the record asked for once") {
    auto first = h.post(list.dump());
    CHECK(h.host.result(first).value("kind", std::string()) == "response");
    CHECK(h.answer(first).first == 200);
    CHECK(h.header(first, "Mcp-Session-Id") == h.session);
    CHECK(worker_kind(look, h.session) == "response");
    auto call = h.post(look.dump());
    CHECK_THAT(h.answer(call).second, Catch::Contains("seen by 2025-11-25"));
    CHECK(worker_kind({{"jsonrpc", "2.0"}, {"id", 4}, {"method", "ping"}}, h.session) ==
          "response");
    CHECK(peeks == 1);
    // After kTtlMs the record is asked for again (a change made elsewhere is seen).
    h.host.advance(mcp::SessionCache::kTtlMs);
    CHECK(worker_kind(list, h.session) == "response");
    CHECK(peeks == 2);
  }
  SECTION("what may talk back to the client, or changes the session, goes to the object") {
    CHECK(worker_kind(list, h.session) == "response");
    // not read-only: it might ask the client, or change something
    CHECK(worker_kind({{"jsonrpc", "2.0"},
                       {"id", 5},
                       {"method", "tools/call"},
                       {"params", {{"name", "echo"}, {"arguments", {{"text", "x"}}}}}},
                      h.session) == "forward");
    // a progress token: its stream must be resumable, which only the object can do
    CHECK(worker_kind({{"jsonrpc", "2.0"},
                       {"id", 6},
                       {"method", "tools/call"},
                       {"params",
                        {{"name", "look"},
                         {"arguments", Json::object()},
                         {"_meta", {{"progressToken", "p"}}}}}},
                      h.session) == "forward");
    CHECK(worker_kind({{"jsonrpc", "2.0"},
                       {"method", "notifications/cancelled"},
                       {"params", {{"requestId", 5}}}},
                      h.session) == "forward");
    CHECK(worker_kind(look, h.session) == "response");
    CHECK(peeks == 1);
    // logging/setLevel changes the record: the object answers everything for kTtlMs, then
    // the record is asked for again
    auto level =
        h.post(R"({"jsonrpc":"2.0","id":9,"method":"logging/setLevel","params":{"level":"info"}})");
    CHECK(h.answer(level).first == 200);
    CHECK(worker_kind(list, h.session) == "forward");
    CHECK(worker_kind({{"jsonrpc", "2.0"},
                       {"id", 7},
                       {"method", "resources/subscribe"},
                       {"params", {{"uri", "x://y"}}}},
                      h.session) == "forward");
    h.host.advance(mcp::SessionCache::kTtlMs);
    CHECK(worker_kind(list, h.session) == "response");
    CHECK(peeks == 2);
  }
  SECTION("an ended session is 404 at once, in the isolate that ended it") {
    CHECK(worker_kind(list, h.session) == "response");
    // A record fetched while the DELETE is on its way must not be served from afterwards.
    auto del = h.send(Harness::request("DELETE", "", {{"mcp-session-id", h.session}}));
    CHECK(h.answer(del).first == 200);
    auto after = h.post(list.dump());
    CHECK(h.answer(after).first == 404);  // the object answers while the change settles
    CHECK(worker_kind(list, h.session) == "forward");
    h.host.advance(mcp::SessionCache::kTtlMs);
    auto later = h.post(list.dump());
    CHECK(h.answer(later).first == 404);  // from the record, which says it ended
    CHECK(h.host.result(later).value("kind", std::string()) == "response");
    CHECK(worker_kind(list, h.session) == "response");
    CHECK(peeks == 2);
  }
  SECTION("a session whose record names someone else is 404, however it was learned") {
    auto& stored = h.host.storage(h.session)["session"];
    stored["userId"] = "someone-else";
    auto foreign = h.post(list.dump());
    CHECK(h.answer(foreign).first == 404);
    CHECK_THAT(h.answer(foreign).second, Catch::Contains("Session not found"));
    CHECK(worker_kind(list, h.session) ==
          "response");  // answered from the cached record: still 404
    CHECK(h.answer(h.post(R"({"jsonrpc":"2.0","id":8,"method":"ping"})")).first == 404);
    CHECK(peeks == 1);
  }
  SECTION("an unknown session goes to the object, which answers 404") {
    auto unknown =
        h.send(Harness::request("POST", list.dump(), {{"mcp-session-id", std::string(32, 'b')}}));
    CHECK(h.answer(unknown).first == 404);
    CHECK(worker_kind(list, std::string(32, 'b')) == "forward");
  }
}

TEST_CASE("the session object serves its record to the gateway", "[transport][in-isolate]") {
  Harness h;
  h.initialize();
  const app::App* a = h.app.get();
  auto record = [&h, a](const std::string& name) {
    Json event = {{"type", "object.fetch"},
                  {"object", {{"class", "McpSession"}, {"name", name}}},
                  {"request", Harness::request(
                                  "GET", "", {},
                                  std::string("http://127.0.0.1:8787") + mcp::kSessionRecordPath)}};
    auto id = h.host.start([a, event](Io& io) { return a->handle(io, event); }, name);
    h.host.pump();
    return h.answer(id);
  };
  auto [status, body] = record(h.session);
  CHECK(status == 200);
  auto j = parse_json(body);
  REQUIRE(j);
  CHECK((*j)["id"] == h.session);
  CHECK((*j)["protocolVersion"] == "2025-11-25");
  CHECK(record(std::string(32, 'c')).first == 404);
}

TEST_CASE(
    "a session's resource subscriptions are recorded with the hub, and changes reach its stream",
    "[transport][listen]") {
  Harness h;
  std::vector<Json> told_hub;
  h.host.object_fetch = [&told_hub](const Json& args) -> Json {
    told_hub.push_back(args);
    return {{"status", 200}, {"headers", Json::array()}, {"body", "{}"}};
  };
  h.initialize();
  auto open = h.send(Harness::request(
      "GET", "", {{"mcp-session-id", h.session}, {"accept", "text/event-stream"}}));
  REQUIRE(h.host.response(open).started);

  auto subscriptions_told = [&told_hub]() {
    REQUIRE_FALSE(told_hub.empty());
    const Json last = told_hub.back();
    CHECK(last["binding"] == "USER_HUB");
    CHECK(last["request"]["url"] == "https://user-hub.internal/session-subscriptions");
    return parse_json(last["request"]["body"].get<std::string>()).value_or(Json());
  };
  const app::App* a = h.app.get();
  auto changed = [&h, a](const std::string& uri) {
    Json req =
        Harness::request("POST", dump_json({{"uri", uri}}), {},
                         std::string("http://127.0.0.1:8787") + mcp::kSessionResourceUpdatedPath);
    Json event = {{"type", "object.fetch"},
                  {"object", {{"class", "McpSession"}, {"name", h.session}}},
                  {"request", req}};
    auto id = h.host.start([a, event](Io& io) { return a->handle(io, event); }, h.session);
    h.host.pump();
    return h.answer(id).first;
  };

  REQUIRE(
      h
          .answer(h.post(
              R"({"jsonrpc":"2.0","id":2,"method":"resources/subscribe","params":{"uri":"test://a"}})"))
          .first == 200);
  Json recorded = subscriptions_told();
  CHECK(recorded["session"] == h.session);
  CHECK(recorded["uris"] == Json::array({"test://a"}));

  CHECK(changed("test://a") == 200);
  std::vector<Json> heard = testing::sse_messages(h.host.streams["server"]);
  REQUIRE(heard.size() == 1);
  CHECK(heard[0]["method"] == "notifications/resources/updated");
  CHECK(heard[0]["params"]["uri"] == "test://a");
  CHECK(changed("test://b") == 410);  // not subscribed: the hub forgets it for that resource

  SECTION("unsubscribed: the hub is told, and changes are refused") {
    REQUIRE(
        h
            .answer(h.post(
                R"({"jsonrpc":"2.0","id":3,"method":"resources/unsubscribe","params":{"uri":"test://a"}})"))
            .first == 200);
    CHECK(subscriptions_told()["uris"] == Json::array());
    CHECK(changed("test://a") == 410);
  }
  SECTION("the session ended: the hub is told it has nothing") {
    auto end = h.send(Harness::request("DELETE", "", {{"mcp-session-id", h.session}}));
    REQUIRE(h.answer(end).first == 200);
    CHECK(subscriptions_told()["uris"] == Json::array());
    CHECK(changed("test://a") == 410);
  }
}
