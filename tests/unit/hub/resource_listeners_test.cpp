// subscriptions/listen streams held by the person's hub: each starts with its
// acknowledgment, a change reaches exactly the listeners that asked for that resource, a
// stream whose client left is forgotten, and a person keeps at most eight (the oldest ends
// gracefully with its listen response).
#include "hub/resource_listeners.hpp"
#include "hub/user_hub.hpp"
#include "support/fake_host.hpp"
#include "support/sse_messages.hpp"

#include <catch2/catch.hpp>

using namespace bmcp;
using namespace bmcp::testing;

namespace {

const std::string kAlice = "schwab:alice";

http::Request hub_request(std::string path, Json body) {
  http::Request r;
  r.method = "POST";
  r.url = "https://user-hub.internal" + path;
  r.parsed_url = *http::parse_url(r.url);
  r.body = dump_json(body);
  return r;
}

struct Hub {
  FakeHost host;

  // Opens a listener; its stream key.
  std::string listen(Json id, Json uris) {
    http::Request r =
        hub_request("/listen", {{"id", id}, {"notifications", {{"resourceSubscriptions", uris}}}});
    auto call = host.start([r](Io& io) { return hub::serve_hub_request(io, r); }, kAlice);
    host.pump();
    REQUIRE(host.done(call));
    CHECK(host.result(call)["kind"] == "streamed");
    CHECK(host.result(call)["keepOpen"] == true);
    const CapturedResponse& response = host.response(call);
    CHECK(response.status == 200);
    std::vector<Json> first = testing::sse_messages(response.body);
    REQUIRE(first.size() == 1);
    CHECK(first[0]["method"] == "notifications/subscriptions/acknowledged");
    CHECK(first[0]["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == id);
    CHECK(first[0]["params"]["notifications"]["resourceSubscriptions"] == uris);
    const Json registry = host.storage(kAlice)["listeners"];
    return registry.back()["key"].get<std::string>();
  }

  Json post(std::string path, Json body) {
    http::Request r = hub_request(path, std::move(body));
    Json step = host.run([r](Io& io) { return hub::serve_hub_request(io, r); });
    return parse_json(step.value("body", std::string())).value_or(Json());
  }

  Json tell(std::string uri) {
    http::Request r = hub_request("/resource-updated", {{"uri", uri}});
    auto call = host.start([r](Io& io) { return hub::serve_hub_request(io, r); }, kAlice);
    host.pump();
    REQUIRE(host.done(call));
    return parse_json(host.result(call).value("body", std::string())).value_or(Json());
  }
};

}  // namespace

TEST_CASE("a change reaches exactly the listeners that asked for that resource", "[hub][listen]") {
  Hub hub;
  const std::string positions = hub.listen(7, Json::array({"portfolio://positions"}));
  const std::string analyses = hub.listen("b", Json::array({"history://analyses"}));

  CHECK(hub.tell("portfolio://positions")["told"] == 1);
  std::vector<Json> heard = testing::sse_messages(hub.host.streams[positions]);
  REQUIRE(heard.size() == 1);
  CHECK(heard[0]["method"] == "notifications/resources/updated");
  CHECK(heard[0]["params"]["uri"] == "portfolio://positions");
  CHECK(heard[0]["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == 7);
  CHECK(hub.host.streams[analyses].empty());

  SECTION("a finished analysis tells the analyses listeners through the broadcast") {
    Json broadcast = {{"channels", {"analysis"}},
                      {"event", {{"type", "analysis.complete"}}},
                      {"resourcesUpdated", {"history://analyses"}}};
    http::Request r = hub_request("/broadcast", broadcast);
    auto call = hub.host.start([r](Io& io) { return hub::serve_hub_request(io, r); }, kAlice);
    hub.host.pump();
    REQUIRE(hub.host.done(call));
    std::vector<Json> told = testing::sse_messages(hub.host.streams[analyses]);
    REQUIRE(told.size() == 1);
    CHECK(told[0]["params"]["uri"] == "history://analyses");
    CHECK(told[0]["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "b");
  }
  SECTION("a listener whose client left is forgotten at the next change") {
    hub.host.streams.erase(positions);
    CHECK(hub.tell("portfolio://positions")["told"] == 0);
    CHECK(hub.host.storage(kAlice)["listeners"].size() == 1);
  }
  SECTION("another person's hub has no listeners") {
    http::Request r = hub_request("/resource-updated", {{"uri", "portfolio://positions"}});
    auto call = hub.host.start([r](Io& io) { return hub::serve_hub_request(io, r); }, "schwab:bob");
    hub.host.pump();
    CHECK(parse_json(hub.host.result(call).value("body", std::string())).value_or(Json())["told"] ==
          0);
  }
}

TEST_CASE("a person keeps at most eight listeners; the ninth ends the oldest gracefully",
          "[hub][listen]") {
  Hub hub;
  std::vector<std::string> keys;
  for (int i = 1; i <= 9; ++i)
    keys.push_back(hub.listen(i, Json::array({"portfolio://positions"})));
  CHECK(hub.host.storage(kAlice)["listeners"].size() == hub::kMaxListenersPerPerson);
  // The first stream got its listen response and was closed.
  CHECK(hub.host.streams.count(keys[0]) == 0);
  bool closed_gracefully = false;
  for (const Effect& e : hub.host.effect_log)
    if (e.kind == "stream.write" && e.args.value("streamKey", "") == keys[0]) {
      std::vector<Json> sent = testing::sse_messages(e.args.value("data", ""));
      closed_gracefully = sent.size() == 1 && sent[0]["id"] == 1 &&
                          sent[0]["result"]["resultType"] == "complete" &&
                          sent[0]["result"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == 1;
    }
  CHECK(closed_gracefully);
  CHECK(hub.tell("portfolio://positions")["told"] == 8);
}

TEST_CASE("a malformed listen is refused", "[hub][listen]") {
  Hub hub;
  CHECK(hub.post("/listen", {{"notifications", Json::object()}})["error"] == "invalid_request");
  CHECK(hub.post("/listen", {{"id", 1}})["error"] == "invalid_request");
  CHECK(hub.post("/resource-updated", Json::object())["error"] == "invalid_request");
}

TEST_CASE("changes reach the sessions subscribed to them through their session object",
          "[hub][listen]") {
  Hub hub;
  std::vector<Json> sent;
  int session_status = 200;
  hub.host.object_fetch = [&](const Json& args) -> Json {
    sent.push_back(args);
    return {{"status", session_status}, {"headers", Json::array()}, {"body", "{}"}};
  };
  auto record = [&](std::string session, Json uris) {
    http::Request r = hub_request("/session-subscriptions", {{"session", session}, {"uris", uris}});
    auto call = hub.host.start([r](Io& io) { return hub::serve_hub_request(io, r); }, kAlice);
    hub.host.pump();
    REQUIRE(hub.host.done(call));
  };
  record("s1", Json::array({"portfolio://positions"}));
  record("s2", Json::array({"history://analyses"}));

  CHECK(hub.tell("portfolio://positions")["told"] == 1);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]["binding"] == "MCP_SESSION");
  CHECK(sent[0]["name"] == "s1");
  CHECK(sent[0]["request"]["url"] == "https://mcp-session.internal/_session/resource-updated");
  CHECK(parse_json(sent[0]["request"]["body"].get<std::string>()).value_or(Json()) ==
        Json{{"uri", "portfolio://positions"}});

  SECTION("a session that answers 410 (ended or unsubscribed) is forgotten") {
    session_status = 410;
    CHECK(hub.tell("portfolio://positions")["told"] == 0);
    sent.clear();
    session_status = 200;
    CHECK(hub.tell("portfolio://positions")["told"] == 0);
    CHECK(sent.empty());
  }
  SECTION("a session with no subscriptions left is dropped at once") {
    record("s1", Json::array());
    sent.clear();
    CHECK(hub.tell("portfolio://positions")["told"] == 0);
    CHECK(sent.empty());
  }
}
