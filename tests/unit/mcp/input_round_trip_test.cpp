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
    act.handler = [counter, actions](mcp::RequestContext& ctx, const Json& args) -> Task<mcp::ToolResult> {
      Json schema = {{"type", "object"}, {"properties", {{"confirm", {{"type", "boolean"}}}}}, {"required", {"confirm"}}};
      std::string question = "Act on " + std::to_string(args.value("n", 0)) + "?";
      mcp::ElicitationResult answer = co_await ctx.elicit(std::move(question), std::move(schema));
      actions->push_back(answer.action);
      if (answer.action != mcp::ElicitationResult::Action::Accept) co_return mcp::ToolResult::error("not confirmed");
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
            {"_meta", {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                       {"io.modelcontextprotocol/clientCapabilities", caps}}}};
  }

  static Task<Json> serve(Io& io, const mcp::Catalog* catalog, const mcp::Principal* principal, Json params) {
    http::Request request;
    request.method = "POST";
    request.url = "http://127.0.0.1:8787/mcp";
    request.headers = {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/call"}, {"Mcp-Name", "act"}};
    Json body = {{"jsonrpc", "2.0"}, {"id", 9}, {"method", "tools/call"}, {"params", std::move(params)}};
    mcp::CatalogFor catalog_for = [catalog](const mcp::Principal&) -> const mcp::Catalog& { return *catalog; };
    co_return co_await mcp::serve_stateless(io, request, body, *principal, catalog_for, kKey);
  }

  // The JSON-RPC answer.
  Json send(Json params, const mcp::Principal* who = nullptr) {
    const mcp::Catalog* c = &catalog;
    const mcp::Principal* p = who ? who : &person;
    Json step = host.run([c, p, params](Io& io) { return serve(io, c, p, params); });
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
    CHECK_THAT(answer["error"]["message"].get<std::string>(), Catch::Contains("requestState is not one this server issued"));
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
  SECTION("answers without any state (the client made them up): ignored, and the question is asked") {
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

TEST_CASE("a declined question ends the call; an answer to a question never asked is ignored", "[mcp][mrtr]") {
  Asking a;
  Json first = a.ask(5);
  SECTION("declined") {
    Json done = a.send(Asking::retry(5, first, {{"input-1", {{"action", "decline"}}}}));
    CHECK(done["result"]["resultType"] == "complete");
    CHECK(done["result"]["isError"] == true);
    CHECK(a.acted == 0);
  }
  SECTION("the answer under another key: the question is asked again") {
    Json again = a.send(Asking::retry(5, first, {{"input-9", {{"action", "accept"}, {"content", {{"confirm", true}}}}}}));
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
