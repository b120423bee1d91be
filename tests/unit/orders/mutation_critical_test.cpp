// An order that may have reached the broker is never abandoned and never reported as safe
// to retry: from the journal write on, the call cannot be cancelled; the answer for a call
// that dies anyway ("the order may have been sent: check getOrders before retrying") is in
// the host's hands before the order is sent; and a row left 'sent' is settled against the
// broker's orders the next time the person lists them.
#include "unit/brokers/schwab/schwab_harness.hpp"

#include "brokers/upstream/dates.hpp"
#include "http/call_result.hpp"
#include "mcp/jsonrpc.hpp"

using namespace bmcp;
using namespace bmcp::testing::schwab;
using bmcp::testing::FakeHost;

namespace {

// A tool call whose transport delivers a final answer as a plain JSON-RPC response (what
// the stateless transport does), so a critical section has a fallback.
Task<Json> run_with_final_answer(Io& io, const mcp::ToolDefinition* t, Json args, mcp::Principal* p,
                                 mcp::Outbound* out) {
  mcp::RequestContext ctx(io, *p, *out, "2025-11-25", Json::object(), Json(), "info");
  ctx.set_final_answer([](Json result) {
    return http::fallback(
        http::respond(http::Response::json(200, mcp::make_result(7, std::move(result)))));
  });
  mcp::ToolResult r = co_await t->handler(ctx, args);
  co_return http::respond(http::Response::json(200, mcp::make_result(7, r.to_json())));
}

struct OrderBench : ToolBench {
  std::string token() {
    Json preview = call("previewOrder", {{"account", kNameA}, {"order", limit_buy()}});
    std::string t = preview["structuredContent"].value("confirmationToken", std::string());
    REQUIRE_FALSE(t.empty());
    return t;
  }
  FakeHost::CallId start_place(const std::string& token) {
    const mcp::ToolDefinition* t = tool("placeOrder");
    Json args = {{"account", kNameA}, {"order", limit_buy()}, {"confirmationToken", token}};
    mcp::Principal* p = &principal;
    mcp::Outbound* out = &outbound;
    return host.start(
        [t, args, p, out](Io& io) { return run_with_final_answer(io, t, args, p, out); });
  }
  // The tool result inside a call result (a response, or a fallback's response).
  static Json tool_result(const Json& call_result) {
    Json body = parse_json(call_result.value("body", "")).value_or(Json());
    return body.value("result", Json());
  }
  std::vector<Json> journal() {
    return host.sql("SELECT id, status, result, created_at FROM order_journal");
  }
  std::size_t place_effect_index() const {
    for (std::size_t i = 0; i < host.effect_log.size(); ++i) {
      const Effect& e = host.effect_log[i];
      if (e.kind == "http.fetch" && e.args.value("method", "") == "POST" &&
          path_of(e.args) == "/trader/v1/accounts/" + kHashA + "/orders")
        return i;
    }
    return host.effect_log.size();
  }
};

// A Schwab order as getOrders lists it.
Json listed_order(std::int64_t id, int quantity, std::int64_t entered_ms,
                  std::string status = "WORKING") {
  return {{"orderId", id},
          {"status", status},
          {"orderType", "LIMIT"},
          {"price", 150.0},
          {"enteredTime", upstream::format_iso_ms(entered_ms)},
          {"accountNumber", std::stoll(kNumberA)},
          {"orderLegCollection",
           {{{"instruction", "BUY"},
             {"quantity", quantity},
             {"instrument", {{"symbol", "AAPL"}, {"assetType", "EQUITY"}}}}}}};
}

}  // namespace

TEST_CASE("a cancel after the journal write does not stop the order", "[orders][critical]") {
  OrderBench b;
  std::string token = b.token();
  FakeHost::CallId id = 0;
  bool cancelled = true;
  b.schwab.route = [&](const std::string& method, const std::string& path,
                       const Json&) -> std::optional<Json> {
    if (method == "POST" && path == "/trader/v1/accounts/" + kHashA + "/orders") {
      CHECK(b.journal().at(0)["status"] == "sent");
      cancelled = b.host.cancel(id);  // notifications/cancelled while the order is at the broker
    }
    return std::nullopt;
  };
  id = b.start_place(token);
  b.host.pump();
  CHECK_FALSE(cancelled);
  REQUIRE(b.host.done(id));
  Json r = OrderBench::tool_result(b.host.result(id));
  CHECK_FALSE(is_error(r));
  CHECK(r["structuredContent"]["sent"] == true);
  CHECK(b.schwab.placed == 1);
  auto journal = b.journal();
  REQUIRE(journal.size() == 1);
  CHECK(journal[0]["status"] == "succeeded");
  CHECK_FALSE(b.host.critical(id));
}

TEST_CASE("the may-have-been-sent answer is in the host's hands before the order is sent",
          "[orders][critical]") {
  OrderBench b;
  std::string token = b.token();
  FakeHost::CallId id = b.start_place(token);
  b.host.pump();
  REQUIRE(b.host.done(id));
  const auto& fallbacks = b.host.fallbacks(id);
  REQUIRE_FALSE(fallbacks.empty());
  const std::size_t send = b.place_effect_index();
  REQUIRE(send < b.host.effect_log.size());
  CHECK(fallbacks.front().effects_before <= send);  // registered with the Step, before the POST
  Json answer = OrderBench::tool_result(fallbacks.front().fallback["result"]);
  CHECK(answer["isError"] == true);
  std::string text = text_of(answer);
  CHECK_THAT(text, Catch::Contains("may have been sent") && Catch::Contains("getOrders") &&
                       Catch::Contains("before retrying"));
  CHECK(text.find("retry") == text.find("retrying"));  // no bare "retry"
  CHECK_FALSE(leaks(answer));

  SECTION("nothing is registered for a preview") {
    OrderBench p;
    Json preview = p.call("previewOrder", {{"account", kNameA}, {"order", limit_buy()}});
    CHECK_FALSE(is_error(preview));
  }
}

TEST_CASE("a trap after the order was sent answers may-have-been-sent; getOrders settles the row",
          "[orders][critical][reconcile]") {
  OrderBench b;
  std::string token = b.token();
  FakeHost::CallId id = 0;
  const std::int64_t sent_at = b.host.now_ms;
  b.schwab.route = [&](const std::string& method, const std::string& path,
                       const Json&) -> std::optional<Json> {
    if (method == "POST" && path == "/trader/v1/accounts/" + kHashA + "/orders") {
      ++b.schwab.placed;
      b.host.trap(id);  // the order reached Schwab; the instance dies before the answer is read
      return response(
          201, nullptr,
          Json::array({Json::array(
              {"Location", kBase + "/trader/v1/accounts/" + kHashA + "/orders/1000500000001"})}));
    }
    return std::nullopt;
  };
  id = b.start_place(token);
  b.host.pump();
  REQUIRE(b.host.done(id));
  Json r = OrderBench::tool_result(b.host.result(id));
  REQUIRE(is_error(r));
  CHECK_THAT(text_of(r), Catch::Contains("may have been sent: check getOrders before retrying"));
  CHECK(text_of(r).find("internal fault") == std::string::npos);
  CHECK(b.schwab.placed == 1);
  REQUIRE(b.journal().size() == 1);
  CHECK(b.journal()[0]["status"] == "sent");
  b.schwab.route = nullptr;

  auto list_with = [&](Json orders) {
    b.schwab.route = [orders](const std::string& method, const std::string& path,
                              const Json&) -> std::optional<Json> {
      if (method == "GET" && path == "/trader/v1/orders") return response(200, orders);
      return std::nullopt;
    };
    return b.call("getOrders");
  };

  SECTION("a listing right away leaves the row alone (the call might still be running)") {
    Json listed = list_with(Json::array({listed_order(1000500000001, 10, sent_at)}));
    CHECK_FALSE(is_error(listed));
    CHECK_FALSE(listed["structuredContent"].contains("unsettledOrders"));
    CHECK(b.journal()[0]["status"] == "sent");
  }
  SECTION("the order is in the broker's list: marked succeeded, and the model is told") {
    b.host.advance(3 * 60 * 1000);
    Json others =
        listed_order(1000400000009, 10, sent_at - 3600 * 1000);  // an older, identical order
    Json listed = list_with(Json::array({others, listed_order(1000500000001, 10, sent_at + 500)}));
    REQUIRE_FALSE(is_error(listed));
    const Json& notes = listed["structuredContent"]["unsettledOrders"];
    REQUIRE(notes.size() == 1);
    CHECK(notes[0]["settled"] == true);
    CHECK(notes[0]["status"] == "succeeded");
    CHECK_THAT(notes[0]["note"].get<std::string>(), Catch::Contains("reached the broker") &&
                                                        Catch::Contains("1000500000001") &&
                                                        Catch::Contains("Do not place it again"));
    CHECK_THAT(listed["content"].back()["text"].get<std::string>(),
               Catch::Contains("1000500000001"));
    CHECK_FALSE(leaks(listed));
    auto row = b.journal()[0];
    CHECK(row["status"] == "succeeded");
    Json result = parse_json(row["result"].get<std::string>()).value_or(Json());
    CHECK(result["reconciled"] == true);
    CHECK(result["orderId"] == "1000500000001");
    // Settled once: the next listing says nothing more.
    Json again = list_with(Json::array({listed_order(1000500000001, 10, sent_at + 500)}));
    CHECK_FALSE(again["structuredContent"].contains("unsettledOrders"));
  }
  SECTION("no such order at the broker: marked failed (it was not placed)") {
    b.host.advance(3 * 60 * 1000);
    Json listed = list_with(Json::array({listed_order(1000400000009, 10, sent_at - 3600 * 1000),
                                         listed_order(1000500000003, 5, sent_at + 500)}));
    const Json& notes = listed["structuredContent"]["unsettledOrders"];
    REQUIRE(notes.size() == 1);
    CHECK(notes[0]["status"] == "failed");
    CHECK_THAT(notes[0]["note"].get<std::string>(), Catch::Contains("did not reach the broker"));
    CHECK(b.journal()[0]["status"] == "failed");
  }
}

TEST_CASE("an order whose answer never came says may-have-been-sent, and is settled later",
          "[orders][critical][reconcile]") {
  OrderBench b;
  std::string token = b.token();
  b.schwab.route = [&](const std::string& method, const std::string& path,
                       const Json&) -> std::optional<Json> {
    if (method == "POST" && path == "/trader/v1/accounts/" + kHashA + "/orders")
      return Json{{"error", {{"code", "timeout"}, {"message", "no answer"}}}};
    return std::nullopt;
  };
  FakeHost::CallId id = b.start_place(token);
  b.host.pump();
  REQUIRE(b.host.done(id));
  Json r = OrderBench::tool_result(b.host.result(id));
  REQUIRE(is_error(r));
  CHECK_THAT(text_of(r), Catch::Contains("may have been sent: check getOrders before retrying"));
  CHECK(b.journal()[0]["status"] == "unknown");
  b.host.advance(3 * 60 * 1000);
  b.schwab.route = [&](const std::string& method, const std::string& path,
                       const Json&) -> std::optional<Json> {
    if (method == "GET" && path == "/trader/v1/orders") return response(200, Json::array());
    return std::nullopt;
  };
  Json listed = b.call("getOrders");
  REQUIRE(listed["structuredContent"]["unsettledOrders"].size() == 1);
  CHECK(b.journal()[0]["status"] == "failed");
}
