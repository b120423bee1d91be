// Which production tool calls a session may have answered outside its object
// (mcp/session_in_isolate.hpp): read-only tools whose answer is the same wherever they run.
// An order preview (it tells whether the person will be asked to confirm by elicitation)
// and the analyses (they wait for a Workflow, so a cancellation must reach them) stay in
// the object, as does every tool that changes something; and the isolate's records stay
// small whatever a client declared.
#include <catch2/catch.hpp>

#include "support/production_catalogs.hpp"

#include "app/production_catalogs.hpp"
#include "mcp/session_cache.hpp"
#include "mcp/session_in_isolate.hpp"
#include "unit/brokers/schwab/schwab_harness.hpp"

#include <set>

using namespace bmcp;

namespace {

mcp::RpcMessage call_of(const std::string& tool) {
  mcp::RpcMessage m;
  m.id = 1;
  m.method = "tools/call";
  m.params = {{"name", tool}, {"arguments", Json::object()}};
  return m;
}

}  // namespace

TEST_CASE("only tool calls whose answer cannot depend on the session are answered in the isolate",
          "[transport][in-isolate]") {
  testing::ProductionCatalogs production(app::TradingMode::Elicit);
  const app::CatalogSet& set = production.set;
  const std::set<std::string> object_only = {
      "previewOrder", "placeOrder",    "replaceOrder", "cancelOrder",   "preview_order",
      "place_order",  "replace_order", "cancel_order", "analyze_chart", "run_full_analysis"};
  int in_isolate = 0;
  for (const mcp::Catalog* c : {&set.schwab, &set.tastytrade}) {
    for (const mcp::ToolDefinition& t : c->tools) {
      INFO(t.name);
      const bool here = mcp::runs_in_isolate(call_of(t.name), *c);
      CHECK(here == !object_only.count(t.name));
      in_isolate += here;
    }
  }
  CHECK(in_isolate > 30);  // the read tools of both brokers, status, get_workflow_status
  mcp::RpcMessage with_progress = call_of("getQuotes");
  with_progress.params["_meta"] = {{"progressToken", 1}};
  CHECK_FALSE(mcp::runs_in_isolate(with_progress, set.schwab));
  CHECK_FALSE(mcp::runs_in_isolate(call_of("noSuchTool"), set.schwab));
}

TEST_CASE("the isolate keeps small records only", "[transport][in-isolate]") {
  mcp::SessionCache cache;
  mcp::SessionState s;
  s.id = std::string(32, 'a');
  s.user_id = "someone";
  s.client_info = {{"name", std::string(100000, 'n')}};
  s.subscriptions = {"portfolio://positions"};
  cache.remember(s, 0);
  const mcp::SessionState* kept = cache.find(s.id, 1);
  REQUIRE(kept);
  CHECK(kept->client_info.empty());
  CHECK(kept->subscriptions.empty());
  CHECK(kept->user_id == "someone");
  s.id = std::string(32, 'b');
  s.client_capabilities = {
      {"experimental", {{"x", std::string(mcp::SessionCache::kMaxCapabilitiesBytes, 'c')}}}};
  cache.remember(s, 0);
  CHECK(cache.find(s.id, 1) == nullptr);  // served by asking the object each time
  for (int i = 0; i < 3000; ++i) {
    s.id = "id-" + std::to_string(i);
    s.client_capabilities = Json::object();
    cache.remember(s, i);
  }
  CHECK(cache.size() <= mcp::SessionCache::kMaxEntries);
}
