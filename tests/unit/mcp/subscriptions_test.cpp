// subscriptions/listen on 2026-07-28 as the Worker serves it: the filter is narrowed to the
// resources this server announces changes of, a listen with something to honor goes to the
// person's hub (named by their user id, never anyone else's), one with nothing is
// acknowledged and closed at once, a malformed one is refused; server/discover says
// resources.subscribe only where a listen can be honored.
#include <catch2/catch.hpp>

#include "http/call_result.hpp"
#include "mcp/stateless.hpp"
#include "mcp/subscriptions.hpp"
#include "support/fake_host.hpp"
#include "support/sse_messages.hpp"

using namespace bmcp;

namespace {

struct Listening {
  testing::FakeHost host;
  mcp::Catalog catalog;
  mcp::Principal person;
  std::string binding = "USER_HUB";

  Listening() {
    mcp::ResourceDefinition live;
    live.uri = "test://live";
    live.name = "live";
    live.subscribable = true;
    live.read = [](mcp::RequestContext&, const std::string& uri,
                   const std::map<std::string, std::string>&) -> Task<mcp::ResourceContents> {
      co_return mcp::ResourceContents::text(uri, "text/plain", "now");
    };
    catalog.resources.push_back(live);
    mcp::ResourceDefinition still = live;
    still.uri = "test://still";
    still.subscribable = false;
    catalog.resources.push_back(still);
    person.user_id = "schwab:alice";
    person.authenticated = true;
  }

  static Task<Json> serve(Io& io, const mcp::Catalog* catalog, const mcp::Principal* principal,
                          std::string method, Json params, const std::string* binding) {
    params["_meta"] = {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                       {"io.modelcontextprotocol/clientCapabilities", Json::object()}};
    http::Request request;
    request.method = "POST";
    request.url = "http://127.0.0.1:8787/mcp";
    request.headers = {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", method}};
    Json body = {{"jsonrpc", "2.0"}, {"id", 11}, {"method", method}, {"params", std::move(params)}};
    mcp::CatalogFor catalog_for = [catalog](const mcp::Principal&) -> const mcp::Catalog& {
      return *catalog;
    };
    co_return co_await mcp::serve_stateless(io, request, body, *principal, catalog_for,
                                            std::string(32, 'k'), *binding);
  }

  Json send(std::string method, Json params) {
    const mcp::Catalog* c = &catalog;
    const mcp::Principal* p = &person;
    const std::string* b = &binding;
    return host.run([=](Io& io) { return serve(io, c, p, method, params, b); });
  }

  Json listen(Json uris) {
    return send("subscriptions/listen", {{"notifications", {{"resourceSubscriptions", uris}}}});
  }
};

}  // namespace

TEST_CASE("a listen goes to the person's hub with the filter narrowed to what is announced",
          "[mcp][listen]") {
  Listening l;
  Json step =
      l.listen(Json::array({"test://live", "test://still", "test://nowhere", "test://live"}));
  REQUIRE(step["kind"] == "forward");
  CHECK(step["binding"] == "USER_HUB");
  CHECK(step["name"] == "schwab:alice");
  CHECK(step["request"]["url"] == "https://user-hub.internal/listen");
  auto body = parse_json(step["request"]["body"].get<std::string>());
  REQUIRE(body);
  CHECK((*body)["id"] == 11);
  CHECK((*body)["notifications"] == Json{{"resourceSubscriptions", {"test://live"}}});
}

TEST_CASE("a listen with nothing to honor is acknowledged and ends at once", "[mcp][listen]") {
  Listening l;
  auto check_closed_at_once = [](const Json& step) {
    REQUIRE(step["kind"] == "response");
    CHECK(step["status"] == 200);
    std::vector<Json> sent = testing::sse_messages(step["body"].get<std::string>());
    REQUIRE(sent.size() == 2);
    CHECK(sent[0]["method"] == "notifications/subscriptions/acknowledged");
    CHECK(sent[0]["params"]["notifications"] == Json::object());  // list changes are never honored
    CHECK(sent[0]["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == 11);
    CHECK(sent[1]["id"] == 11);
    CHECK(sent[1]["result"]["resultType"] == "complete");
  };
  check_closed_at_once(
      l.send("subscriptions/listen", {{"notifications", {{"toolsListChanged", true}}}}));
  check_closed_at_once(l.listen(Json::array({"test://still"})));
  SECTION("without a hub nothing can be honored") {
    l.binding.clear();
    check_closed_at_once(l.listen(Json::array({"test://live"})));
  }
}

TEST_CASE("a malformed listen filter is refused with -32602", "[mcp][listen]") {
  Listening l;
  for (const Json& params : {Json::object(), Json{{"notifications", "all"}},
                             Json{{"notifications", {{"toolsListChanged", 1}}}},
                             Json{{"notifications", {{"resourceSubscriptions", "test://live"}}}},
                             Json{{"notifications", {{"resourceSubscriptions", {1}}}}}}) {
    INFO(dump_json(params));
    Json step = l.send("subscriptions/listen", params);
    CHECK(step["status"] == 400);
    CHECK(parse_json(step["body"].get<std::string>()).value_or(Json())["error"]["code"] == -32602);
  }
  Json many = Json::array();
  for (int i = 0; i < 17; ++i) many.push_back("test://live");
  CHECK(l.listen(many)["status"] == 400);
}

TEST_CASE("server/discover offers resources.subscribe only where a listen can be honored",
          "[mcp][listen]") {
  Listening l;
  auto subscribe = [&]() {
    Json step = l.send("server/discover", Json::object());
    Json answer = parse_json(step["body"].get<std::string>()).value_or(Json());
    return answer["result"]["capabilities"]["resources"].value("subscribe", false);
  };
  CHECK(subscribe());
  l.binding.clear();
  CHECK_FALSE(subscribe());
  l.binding = "USER_HUB";
  l.catalog.resources[0].subscribable = false;
  CHECK_FALSE(subscribe());
}
