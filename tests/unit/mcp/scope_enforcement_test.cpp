// Scopes in the MCP server layer: a tool that declares a required scope is listed and
// callable only for a grant that holds it. A read-only grant never sees a mutating tool,
// and a forged tools/call of one is refused before its handler (or any broker) runs.
#include <catch2/catch.hpp>

#include "app/production_catalogs.hpp"
#include "mcp/server.hpp"
#include "oauth/scopes.hpp"
#include "support/fake_host.hpp"
#include "support/production_catalogs.hpp"
#include "unit/brokers/schwab/schwab_harness.hpp"

using namespace bmcp;

namespace {

struct ScopeBench {
  testing::FakeHost host;
  mcp::Catalog catalog;
  int trade_calls = 0;
  mcp::Principal principal;

  ScopeBench() {
    mcp::ToolDefinition look;
    look.name = "look";
    look.description = "reads";
    look.handler = [](mcp::RequestContext&, const Json&) -> Task<mcp::ToolResult> {
      co_return mcp::ToolResult::text("seen");
    };
    catalog.tools.push_back(look);
    mcp::ToolDefinition trade;
    trade.name = "trade";
    trade.description = "changes something";
    trade.required_scope = std::string(oauth::kScopeTrade);
    trade.input_schema = {
        {"type", "object"}, {"properties", {{"n", {{"type", "integer"}}}}}, {"required", {"n"}}};
    int* calls = &trade_calls;
    trade.handler = [calls](mcp::RequestContext&, const Json&) -> Task<mcp::ToolResult> {
      ++*calls;
      co_return mcp::ToolResult::text("traded");
    };
    catalog.tools.push_back(trade);
    principal.user_id = "schwab:someone";
    principal.broker = "schwab";
    principal.authenticated = true;
  }

  Json handle(std::string method, Json params = Json::object()) {
    mcp::RpcMessage m;
    m.id = 7;
    m.method = std::move(method);
    m.params = std::move(params);
    const mcp::Catalog* c = &catalog;
    const mcp::Principal* p = &principal;
    return host.run([c, p, m](Io& io) { return serve(io, c, p, m); });
  }

  static Task<Json> serve(Io& io, const mcp::Catalog* catalog, const mcp::Principal* principal,
                          mcp::RpcMessage m) {
    mcp::McpServer server(*catalog);
    mcp::SessionState session;
    session.protocol_version = "2025-11-25";
    mcp::NoOutbound none;
    mcp::RequestContext ctx(io, *principal, none, "2025-11-25", Json::object(), Json(), "");
    co_return co_await server.handle_request(m, session, ctx);
  }

  std::vector<std::string> listed() {
    std::vector<std::string> names;
    const Json answer = handle("tools/list");
    for (const Json& t : answer["result"]["tools"]) names.push_back(t["name"]);
    return names;
  }
};

}  // namespace

TEST_CASE("Principal::grants reads the grant's space-separated scope", "[mcp][scopes]") {
  mcp::Principal p;
  p.authenticated = true;
  p.scope = "brokerage:read brokerage:trade";
  CHECK(p.grants("brokerage:trade"));
  CHECK(p.grants("brokerage:read"));
  CHECK(p.grants(""));
  CHECK_FALSE(p.grants("brokerage:tra"));
  CHECK_FALSE(p.grants("trade"));
  p.scope = "brokerage:read";
  CHECK_FALSE(p.grants("brokerage:trade"));
  p.scope = "brokerage:readbrokerage:trade";
  CHECK_FALSE(p.grants("brokerage:trade"));
  // Nobody signed in: no scope at all, only tools that need none.
  mcp::Principal anonymous;
  anonymous.scope = "brokerage:trade";
  CHECK_FALSE(anonymous.grants("brokerage:trade"));
  CHECK(anonymous.grants(""));
}

TEST_CASE("tools/list shows only the tools the grant covers", "[mcp][scopes]") {
  ScopeBench b;
  b.principal.scope = "brokerage:read";
  CHECK(b.listed() == std::vector<std::string>{"look"});
  b.principal.scope = "brokerage:read brokerage:trade";
  CHECK(b.listed() == std::vector<std::string>{"look", "trade"});
  b.principal.scope = "brokerage:trade brokerage:read";
  CHECK(b.listed() == std::vector<std::string>{"look", "trade"});
  b.principal.authenticated = false;
  CHECK(b.listed() == std::vector<std::string>{"look"});
}

TEST_CASE("tools/call of a tool the grant does not cover is refused before it runs",
          "[mcp][scopes]") {
  ScopeBench b;
  b.principal.scope = "brokerage:read";
  SECTION("insufficient_scope, in plain words, as a tool error") {
    Json r = b.handle("tools/call", {{"name", "trade"}, {"arguments", {{"n", 1}}}});
    REQUIRE(r.contains("result"));
    CHECK(r["result"]["isError"] == true);
    std::string text = r["result"]["content"][0]["text"];
    CHECK_THAT(
        text, Catch::StartsWith("insufficient_scope: trade needs the brokerage:trade permission") &&
                  Catch::Contains("read-only") && Catch::Contains("Nothing was sent"));
    CHECK(b.trade_calls == 0);
  }
  SECTION("even with arguments that would not validate: the scope is checked first") {
    Json r = b.handle("tools/call", {{"name", "trade"}, {"arguments", {{"wrong", true}}}});
    CHECK_THAT(r["result"]["content"][0]["text"].get<std::string>(),
               Catch::StartsWith("insufficient_scope"));
    CHECK(b.trade_calls == 0);
  }
  SECTION("tools that need no scope still work") {
    Json r = b.handle("tools/call", {{"name", "look"}});
    CHECK(r["result"]["content"][0]["text"] == "seen");
  }
  SECTION("a grant with the scope calls it") {
    b.principal.scope = "brokerage:read brokerage:trade";
    Json r = b.handle("tools/call", {{"name", "trade"}, {"arguments", {{"n", 1}}}});
    CHECK(r["result"]["content"][0]["text"] == "traded");
    CHECK(b.trade_calls == 1);
  }
}

TEST_CASE("every production tool that changes something requires brokerage:trade",
          "[mcp][scopes]") {
  // The tools are data: a tool that is not read-only must not reach a read-only grant.
  testing::ProductionCatalogs production;
  const app::CatalogSet& set = production.set;
  int mutating = 0;
  for (const mcp::Catalog* c : {&set.signed_out, &set.schwab, &set.tastytrade}) {
    for (const mcp::ToolDefinition& t : c->tools) {
      INFO(t.name);
      if (!t.annotations.read_only.value_or(false)) {
        ++mutating;
        CHECK(t.annotations.destructive == std::optional<bool>(true));
        CHECK(t.required_scope == oauth::kScopeTrade);
        CHECK_THAT(t.description, Catch::Contains("the host must ask the person"));
      } else {
        CHECK(t.required_scope.empty());
      }
    }
  }
  CHECK(mutating == 6);  // place, replace, cancel at each broker
}
