// Multi round-trip requests (2026-07-28 input_required) through serve_stateless, for a
// signed-in person: a tool that asks the person answers input_required with the question
// and a sealed requestState, does nothing, and acts only on the retry that brings the
// answer; the state works once, for this person, these arguments and five minutes.
#include <catch2/catch.hpp>

#include "http/call_result.hpp"
#include "mcp/input_round_trip.hpp"
#include "mcp/stateless.hpp"
#include "support/fake_host.hpp"

using namespace bmcp;

namespace {

const std::string kKey(32, 'k');

struct Asking {
  testing::FakeHost host;
  mcp::Catalog catalog;
  mcp::Principal person;
  int acted = 0;
  std::vector<mcp::ElicitationResult::Action> seen;

  Asking() {
    mcp::ToolDefinition act;
    act.name = "act";
    act.description = "asks, then acts once confirmed";
    act.input_schema = {{"type", "object"}, {"properties", {{"n", {{"type", "integer"}}}}}};
    int* counter = &acted;
    auto* actions = &seen;
    act.handler = [counter, actions](mcp::RequestContext& ctx,
                                     const Json& args) -> Task<mcp::ToolResult> {
      Json schema = {{"type", "object"},
                     {"properties", {{"confirm", {{"type", "boolean"}}}}},
                     {"required", {"confirm"}}};
      std::string question = "Act on " + std::to_string(args.value("n", 0)) + "?";
      mcp::ElicitationResult answer = co_await ctx.elicit(std::move(question), std::move(schema));
      actions->push_back(answer.action);
      if (answer.action != mcp::ElicitationResult::Action::Accept)
        co_return mcp::ToolResult::error("not confirmed");
      ++*counter;
      co_return mcp::ToolResult::text("acted");
    };
    catalog.tools.push_back(act);
    person.user_id = "schwab:alice";
    person.broker = "schwab";
    person.scope = "brokerage:read brokerage:trade";
    person.authenticated = true;
  }

  static Json call_params(int n, bool can_elicit = true) {
    Json caps = can_elicit ? Json{{"elicitation", Json::object()}} : Json::object();
    return {{"name", "act"},
            {"arguments", {{"n", n}}},
            {"_meta",
             {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
              {"io.modelcontextprotocol/clientCapabilities", caps}}}};
  }

  static Task<Json> serve(Io& io, const mcp::Catalog* catalog, const mcp::Principal* principal,
                          Json params, std::string method) {
    http::Request request;
    request.method = "POST";
    request.url = "http://127.0.0.1:8787/mcp";
    request.headers = {{"MCP-Protocol-Version", "2026-07-28"},
                       {"Mcp-Method", method},
                       {"Mcp-Name", params.value("name", std::string())}};
    Json body = {{"jsonrpc", "2.0"}, {"id", 9}, {"method", method}, {"params", std::move(params)}};
    mcp::CatalogFor catalog_for = [catalog](const mcp::Principal&) -> const mcp::Catalog& {
      return *catalog;
    };
    co_return co_await mcp::serve_stateless(io, request, body, *principal, catalog_for, kKey);
  }

  // The JSON-RPC answer.
  Json send(Json params, const mcp::Principal* who = nullptr, std::string method = "tools/call") {
    const mcp::Catalog* c = &catalog;
    const mcp::Principal* p = who ? who : &person;
    Json step =
        host.run([c, p, params, method](Io& io) { return serve(io, c, p, params, method); });
    auto body = parse_json(step.value("body", std::string()));
    REQUIRE(body);
    return *body;
  }

  // Round 1 of a call: its input_required result.
  Json ask(int n) {
    Json answer = send(call_params(n));
    REQUIRE(answer["result"]["resultType"] == "input_required");
    return answer["result"];
  }

  static Json retry(int n, const Json& first, Json responses) {
    Json params = call_params(n);
    params["inputResponses"] = std::move(responses);
    params["requestState"] = first["requestState"];
    return params;
  }
};

Json accept() { return {{"input-1", {{"action", "accept"}, {"content", {{"confirm", true}}}}}}; }

}  // namespace

TEST_CASE("a question goes back as input_required and the tool acts only on the answered retry",
          "[mcp][mrtr]") {
  Asking a;
  Json first = a.ask(3);
  CHECK(a.acted == 0);
  REQUIRE(a.seen.size() == 1);
  CHECK(a.seen[0] == mcp::ElicitationResult::Action::Pending);
  const Json& question = first["inputRequests"]["input-1"];
  CHECK(question["method"] == "elicitation/create");
  CHECK(question["params"]["message"] == "Act on 3?");
  CHECK(question["params"]["requestedSchema"]["required"][0] == "confirm");
  CHECK(first["requestState"].is_string());
  CHECK_FALSE(first.contains("ttlMs"));  // interim results are not cacheable
  CHECK(first["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "broker-mcp");

  Json done = a.send(Asking::retry(3, first, accept()));
  REQUIRE(done.contains("result"));
  CHECK(done["result"]["resultType"] == "complete");
  CHECK(done["result"]["content"][0]["text"] == "acted");
  CHECK(a.acted == 1);

  SECTION("the same retry again is refused, not run again") {
    Json again = a.send(Asking::retry(3, first, accept()));
    CHECK(again["error"]["code"] == -32602);
    CHECK_THAT(again["error"]["message"].get<std::string>(), Catch::Contains("already used"));
    CHECK(a.acted == 1);
  }
}

TEST_CASE("a requestState opens only for its own person, arguments and lifetime", "[mcp][mrtr]") {
  Asking a;
  Json first = a.ask(3);
  auto refused = [&](const Json& answer) {
    CHECK(answer["error"]["code"] == -32602);
    CHECK_THAT(answer["error"]["message"].get<std::string>(),
               Catch::Contains("requestState is not one this server issued"));
  };
  SECTION("other arguments (another order) with the state of the first") {
    refused(a.send(Asking::retry(4, first, accept())));
  }
  SECTION("another person") {
    mcp::Principal bob = a.person;
    bob.user_id = "schwab:bob";
    refused(a.send(Asking::retry(3, first, accept()), &bob));
  }
  SECTION("after five minutes") {
    a.host.advance(mcp::kRequestStateLifetimeMs + 1);
    refused(a.send(Asking::retry(3, first, accept())));
  }
  SECTION("an altered state") {
    Json params = Asking::retry(3, first, accept());
    std::string state = params["requestState"];
    state[state.size() - 3] = state[state.size() - 3] == 'A' ? 'B' : 'A';
    params["requestState"] = state;
    refused(a.send(params));
  }
  SECTION(
      "answers without any state (the client made them up): ignored, and the question is asked") {
    // SEP-2322: information a server does not recognize is ignored. Answers count only
    // with the state of the round that asked, so this is a first round.
    Json params = Asking::call_params(3);
    params["inputResponses"] = accept();
    Json answer = a.send(params);
    REQUIRE(answer.contains("result"));
    CHECK(answer["result"]["resultType"] == "input_required");
    CHECK(answer["result"]["inputRequests"].contains("input-1"));
  }
  CHECK(a.acted == 0);
}

TEST_CASE("a declined question ends the call; an answer to a question never asked is ignored",
          "[mcp][mrtr]") {
  Asking a;
  Json first = a.ask(5);
  SECTION("declined") {
    Json done = a.send(Asking::retry(5, first, {{"input-1", {{"action", "decline"}}}}));
    CHECK(done["result"]["resultType"] == "complete");
    CHECK(done["result"]["isError"] == true);
    CHECK(a.acted == 0);
  }
  SECTION("the answer under another key: the question is asked again") {
    Json again = a.send(Asking::retry(
        5, first, {{"input-9", {{"action", "accept"}, {"content", {{"confirm", true}}}}}}));
    CHECK(again["result"]["resultType"] == "input_required");
    CHECK(again["result"]["inputRequests"].contains("input-1"));
    CHECK(a.acted == 0);
  }
}

TEST_CASE("a client that cannot answer is never sent a question", "[mcp][mrtr]") {
  Asking a;
  Json answer = a.send(Asking::call_params(3, /*can_elicit=*/false));
  CHECK(answer["result"]["resultType"] == "complete");
  REQUIRE(a.seen.size() == 1);
  CHECK(a.seen[0] == mcp::ElicitationResult::Action::Unsupported);
  CHECK(a.acted == 0);
}

namespace {

Json meta(Json caps) {
  return {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
          {"io.modelcontextprotocol/clientCapabilities", std::move(caps)}};
}
Json all_caps() {
  return {{"elicitation", Json::object()}, {"sampling", Json::object()}, {"roots", Json::object()}};
}
Json call(std::string name, Json caps = all_caps()) {
  return {
      {"name", std::move(name)}, {"arguments", Json::object()}, {"_meta", meta(std::move(caps))}};
}
Json accepted(Json content) { return {{"action", "accept"}, {"content", std::move(content)}}; }
Json sampled(std::string text) {
  return {{"role", "assistant"},
          {"content", {{"type", "text"}, {"text", std::move(text)}}},
          {"model", "m"}};
}

// Questions under their own names: one that authorizes nothing (ephemeral), and a round
// that asks three things at once.
struct Named : Asking {
  Named() {
    mcp::ToolDefinition greet;
    greet.name = "greet";
    greet.description = "asks a name, says hello";
    greet.handler = [](mcp::RequestContext& ctx, const Json&) -> Task<mcp::ToolResult> {
      Json schema = {{"type", "object"},
                     {"properties", {{"name", {{"type", "string"}}}}},
                     {"required", {"name"}}};
      mcp::Question question{"user_name", /*ephemeral=*/true};
      mcp::ElicitationResult answer =
          co_await ctx.elicit("What is your name?", std::move(schema), 1000, question);
      if (answer.action != mcp::ElicitationResult::Action::Accept)
        co_return mcp::ToolResult::error("no name");
      co_return mcp::ToolResult::text("Hello, " + answer.content.value("name", std::string()) +
                                      "!");
    };
    catalog.tools.push_back(greet);

    mcp::ToolDefinition survey;
    survey.name = "survey";
    survey.description = "asks three things in one round";
    survey.handler = [](mcp::RequestContext& ctx, const Json&) -> Task<mcp::ToolResult> {
      Json schema = {{"type", "object"}, {"properties", {{"name", {{"type", "string"}}}}}};
      mcp::Question name_q{"user_name"}, greeting_q{"greeting"}, roots_q{"client_roots"};
      mcp::ElicitationResult name = co_await ctx.elicit("Name?", std::move(schema), 1000, name_q);
      Json prompt = {{"messages", Json::array()}, {"maxTokens", 50}};
      auto greeting = co_await ctx.request_client("sampling/createMessage", std::move(prompt), 1000,
                                                  greeting_q);
      Json no_params = Json::object();
      auto roots = co_await ctx.request_client("roots/list", std::move(no_params), 1000, roots_q);
      if (name.action != mcp::ElicitationResult::Action::Accept || !greeting || !roots)
        co_return mcp::ToolResult::error("still asking");
      co_return mcp::ToolResult::text(
          name.content.value("name", std::string()) + "|" +
          (*greeting)["result"]["content"].value("text", std::string()) + "|" +
          std::to_string((*roots)["result"]["roots"].size()));
    };
    catalog.tools.push_back(survey);

    mcp::PromptDefinition prompt;
    prompt.name = "contextual";
    prompt.description = "asks what context to use";
    prompt.get = [](mcp::RequestContext& ctx,
                    const std::map<std::string, std::string>&) -> Task<Json> {
      Json schema = {{"type", "object"}, {"properties", {{"context", {{"type", "string"}}}}}};
      mcp::Question question{"user_context"};
      mcp::ElicitationResult answer =
          co_await ctx.elicit("Context?", std::move(schema), 1000, question);
      std::string text = answer.content.value("context", std::string("none"));
      Json message = {{"role", "user"}, {"content", {{"type", "text"}, {"text", text}}}};
      co_return Json{{"messages", Json::array({message})}};
    };
    catalog.prompts.push_back(prompt);
  }
};

}  // namespace

TEST_CASE(
    "a question goes back under its own key; an ephemeral one may be answered in the first request",
    "[mcp][mrtr]") {
  Named n;
  Json first = n.send(call("greet"));
  REQUIRE(first["result"]["resultType"] == "input_required");
  CHECK(first["result"]["inputRequests"]["user_name"]["method"] == "elicitation/create");
  CHECK(first["result"]["inputRequests"].size() == 1);

  SECTION("answered with the sealed state") {
    Json retry = call("greet");
    retry["inputResponses"] = {{"user_name", accepted({{"name", "Alice"}})}};
    retry["requestState"] = first["result"]["requestState"];
    Json done = n.send(retry);
    CHECK(done["result"]["content"][0]["text"] == "Hello, Alice!");
  }
  SECTION("answered at once, without any state, extra keys ignored") {
    Json at_once = call("greet");
    at_once["inputResponses"] = {{"user_name", accepted({{"name", "Bea"}})},
                                 {"other", accepted({{"x", 1}})}};
    Json done = n.send(at_once);
    CHECK(done["result"]["resultType"] == "complete");
    CHECK(done["result"]["content"][0]["text"] == "Hello, Bea!");
  }
  SECTION("an answer that is not a result object answers nothing: asked again") {
    Json at_once = call("greet");
    at_once["inputResponses"] = {{"user_name", "Alice"}};
    Json again = n.send(at_once);
    CHECK(again["result"]["resultType"] == "input_required");
    CHECK(again["result"]["inputRequests"].contains("user_name"));
  }
}

TEST_CASE(
    "an order-like question is never answered without its sealed state, even under its own name",
    "[mcp][mrtr]") {
  Named n;
  Json at_once = call("survey");
  at_once["inputResponses"] = {{"user_name", accepted({{"name", "Mallory"}})},
                               {"greeting", sampled("hi")},
                               {"client_roots", {{"roots", Json::array()}}}};
  Json answer = n.send(at_once);
  REQUIRE(answer["result"]["resultType"] == "input_required");
  CHECK(answer["result"]["inputRequests"].size() == 3);
}

TEST_CASE("several questions go in one round, only those the client declared it can answer",
          "[mcp][mrtr]") {
  Named n;
  Json first = n.send(call("survey"));
  REQUIRE(first["result"]["resultType"] == "input_required");
  const Json& asked = first["result"]["inputRequests"];
  CHECK(asked["user_name"]["method"] == "elicitation/create");
  CHECK(asked["greeting"]["method"] == "sampling/createMessage");
  CHECK(asked["client_roots"]["method"] == "roots/list");

  Json retry = call("survey");
  retry["inputResponses"] = {{"user_name", accepted({{"name", "Alice"}})},
                             {"greeting", sampled("Hi there")},
                             {"client_roots", {{"roots", Json::array({{{"uri", "file:///r"}}})}}}};
  retry["requestState"] = first["result"]["requestState"];
  Json done = n.send(retry);
  CHECK(done["result"]["content"][0]["text"] == "Alice|Hi there|1");

  SECTION("a client with sampling only is asked nothing else") {
    Json only = n.send(call("survey", {{"sampling", Json::object()}}));
    REQUIRE(only["result"]["resultType"] == "input_required");
    CHECK(only["result"]["inputRequests"].size() == 1);
    CHECK(only["result"]["inputRequests"].contains("greeting"));
  }
}

TEST_CASE("prompts/get asks and finishes through the same rounds", "[mcp][mrtr]") {
  Named n;
  Json params = {{"name", "contextual"}, {"_meta", meta(all_caps())}};
  Json first = n.send(params, nullptr, "prompts/get");
  REQUIRE(first["result"]["resultType"] == "input_required");
  CHECK(first["result"]["inputRequests"]["user_context"]["method"] == "elicitation/create");
  params["inputResponses"] = {{"user_context", accepted({{"context", "taxes"}})}};
  params["requestState"] = first["result"]["requestState"];
  Json done = n.send(params, nullptr, "prompts/get");
  CHECK(done["result"]["resultType"] == "complete");
  CHECK(done["result"]["messages"][0]["content"]["text"] == "taxes");
}
