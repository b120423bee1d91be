// The person's WebSocket hub: the subscriber protocol (subscribe, unsubscribe, ping,
// refusals), broadcasts reaching only sockets on a matching channel, the upgrade, and
// the single-use tickets that open it from a browser.
#include "hub/user_hub.hpp"
#include "hub/ws_tickets.hpp"
#include "support/fake_host.hpp"

#include <catch2/catch.hpp>

using namespace bmcp;
using namespace bmcp::testing;

namespace {

const std::string kRun = "an_0123456789abcdef01234567";

Json reply_frame(const Json& reply, std::size_t i = 0) {
  REQUIRE(reply["kind"] == "websocket.reply");
  REQUIRE(reply["send"].size() > i);
  return parse_json(reply["send"][i].get<std::string>()).value_or(Json());
}

http::Request hub_request(std::string method, std::string path, std::string body = {}) {
  http::Request r;
  r.method = std::move(method);
  r.url = "https://user-hub.internal" + path;
  r.parsed_url = *http::parse_url(r.url);
  r.body = std::move(body);
  return r;
}

}  // namespace

TEST_CASE("channels are the person's analyses, or one of them", "[hub]") {
  CHECK(hub::valid_channel("analysis"));
  CHECK(hub::valid_channel("analysis:" + kRun));
  CHECK_FALSE(hub::valid_channel("analysis:"));
  CHECK_FALSE(hub::valid_channel("analysis:an_0123456789ABCDEF01234567"));
  CHECK_FALSE(hub::valid_channel("analysis:an_0123"));
  CHECK_FALSE(hub::valid_channel("orders"));
  CHECK_FALSE(hub::valid_channel(""));
}

TEST_CASE("the subscriber protocol", "[hub]") {
  const Json none = {{"channels", Json::array()}};

  SECTION("subscribe adds channels to the socket's attachment, once each") {
    Json r = hub::on_subscriber_message(R"({"type":"subscribe","channels":["analysis"]})", none);
    CHECK(reply_frame(r) == Json{{"type", "subscribed"}, {"channels", {"analysis"}}});
    CHECK(r["attachment"] == Json{{"channels", {"analysis"}}});
    const std::string again =
        R"({"type":"subscribe","channels":["analysis","analysis:)" + kRun + R"("]})";
    r = hub::on_subscriber_message(again, r["attachment"]);
    CHECK(r["attachment"]["channels"] == Json::array({"analysis", "analysis:" + kRun}));
  }
  SECTION("unsubscribe removes them") {
    const Json both = {{"channels", {"analysis", "analysis:" + kRun}}};
    Json r = hub::on_subscriber_message(R"({"type":"unsubscribe","channels":["analysis"]})", both);
    CHECK(reply_frame(r)["type"] == "unsubscribed");
    CHECK(r["attachment"]["channels"] == Json::array({"analysis:" + kRun}));
  }
  SECTION("ping answers pong and leaves the attachment alone") {
    Json r = hub::on_subscriber_message(R"({"type":"ping"})", none);
    CHECK(reply_frame(r)["type"] == "pong");
    CHECK_FALSE(r.contains("attachment"));
  }
  SECTION("refusals say why and change nothing") {
    for (const char* frame :
         {R"({"type":"subscribe","channels":["orders"]})", R"({"type":"subscribe","channels":[]})",
          R"({"type":"subscribe"})", R"({"type":"dance"})", "not json", "[1,2]"}) {
      Json r = hub::on_subscriber_message(frame, none);
      CHECK(reply_frame(r)["type"] == "error");
      CHECK_FALSE(r.contains("attachment"));
    }
    CHECK(reply_frame(hub::on_subscriber_message(std::string(5000, ' '), none))["error"] ==
          "too_large");
  }
  SECTION("at most 16 channels per socket") {
    Json channels = Json::array({"analysis"});
    for (int i = 0; i < 16; ++i) {
      char id[48];
      std::snprintf(id, sizeof id, "analysis:an_%024x", i);
      channels.push_back(id);
    }
    Json frame = {{"type", "subscribe"}, {"channels", channels}};
    CHECK(reply_frame(hub::on_subscriber_message(dump_json(frame), none))["error"] ==
          "too_many_channels");
  }
}

TEST_CASE("a broadcast reaches the sockets subscribed to one of its channels", "[hub]") {
  FakeHost host;
  auto& sockets = host.hub_sockets["hub-u-1"];
  sockets.resize(3);
  sockets[0].attachment = {{"channels", {"analysis"}}};
  sockets[1].attachment = {{"channels", {"analysis:an_ffffffffffffffffffffffff"}}};
  sockets[2].attachment = {{"channels", Json::array()}};
  host.hub_sockets["hub-u-2"].resize(1);
  host.hub_sockets["hub-u-2"][0].attachment = {{"channels", {"analysis"}}};

  const Json event = {{"type", "analysis.complete"}, {"workflowId", kRun}};
  const http::Request req =
      hub_request("POST", "/broadcast",
                  dump_json({{"channels", {"analysis", "analysis:" + kRun}}, {"event", event}}));
  const FakeHost::CallId call =
      host.start([req](Io& io) { return hub::serve_hub_request(io, req); }, "hub-u-1");
  host.pump();
  REQUIRE(host.done(call));
  CHECK(parse_json(host.result(call)["body"].get<std::string>()).value_or(Json())["delivered"] ==
        1);
  REQUIRE(sockets[0].received.size() == 1);
  CHECK(parse_json(sockets[0].received[0]).value_or(Json()) == event);
  CHECK(sockets[1].received.empty());
  CHECK(sockets[2].received.empty());
  CHECK(host.hub_sockets["hub-u-2"][0].received.empty());  // another person's hub
}

TEST_CASE("the hub accepts WebSocket upgrades only", "[hub]") {
  FakeHost host;
  http::Request upgrade = hub_request("GET", "/ws");
  upgrade.headers.emplace_back("Upgrade", "websocket");
  Json r = host.run([upgrade](Io& io) { return hub::serve_hub_request(io, upgrade); });
  CHECK(r["kind"] == "websocket.accept");
  CHECK(r["attachment"] == Json{{"channels", Json::array()}});
  const http::Request plain = hub_request("GET", "/ws");
  r = host.run([plain](Io& io) { return hub::serve_hub_request(io, plain); });
  CHECK(r["status"] == 426);
  const http::Request bad = hub_request("POST", "/broadcast", "{}");
  r = host.run([bad](Io& io) { return hub::serve_hub_request(io, bad); });
  CHECK(r["status"] == 400);
}

TEST_CASE("WebSocket tickets are single-use, short-lived and stored hashed", "[hub]") {
  FakeHost host;
  host.sql(
      "INSERT INTO users (id, provider, external_id, created_at, updated_at) VALUES ('u-1', "
      "'schwab', 'e', 0, 0)");
  auto issue = [&host] {
    Json r = host.run([](Io& io) -> Task<Json> {
      std::optional<std::string> t = co_await hub::issue_ticket(io, "u-1");
      co_return t ? Json(*t) : Json(nullptr);
    });
    REQUIRE(r.is_string());
    return r.get<std::string>();
  };
  auto redeem = [&host](std::string ticket) {
    Json r = host.run([ticket](Io& io) -> Task<Json> {
      std::optional<std::string> u = co_await hub::redeem_ticket(io, ticket);
      co_return u ? Json(*u) : Json(nullptr);
    });
    return r;
  };
  const std::string ticket = issue();
  CHECK(ticket.rfind("wst_", 0) == 0);
  CHECK(host.sql("SELECT ticket_hash FROM ws_tickets")[0]["ticket_hash"].get<std::string>().find(
            ticket.substr(4)) == std::string::npos);
  CHECK(redeem(ticket) == "u-1");
  CHECK(redeem(ticket).is_null());  // used

  const std::string late = issue();
  host.advance(hub::kTicketLifetimeMs + 1);
  CHECK(redeem(late).is_null());  // expired
  CHECK(redeem("wst_nonsense").is_null());
  CHECK(redeem("").is_null());
}
