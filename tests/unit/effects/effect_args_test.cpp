// The typed effect arguments (effects/effect_args.hpp) encode to exactly the JSON the shim
// and the fake host read: the wire names, the shapes of headers and requests, optional
// fields left out when empty. Expected texts are spelled out so a change of wire format
// shows here, not first in production.
#include <catch2/catch.hpp>

#include "effects/effect_args.hpp"

#include <set>

using namespace bmcp;

namespace {
std::string args_of(const Effect& e) { return dump_json(e.args); }
}  // namespace

TEST_CASE("each kind is named once", "[effects]") {
  std::set<std::string_view> kinds(std::begin(effects::kEffectKinds),
                                   std::end(effects::kEffectKinds));
  CHECK(kinds.size() == std::size(effects::kEffectKinds));
  CHECK(kinds.count("http.fetch") == 1);
  CHECK(kinds.count("sleep") == 1);
  CHECK(effects::KvPut::kKind == "kv.put");
}

TEST_CASE("scalar arguments under their wire names", "[effects]") {
  Effect put = effects::to_effect(effects::KvPut{.key = "k", .value = "v", .ttl = 60});
  CHECK(put.kind == "kv.put");
  CHECK(args_of(put) == R"({"key":"k","ttl":60,"value":"v"})");

  Effect sleep = effects::to_effect(effects::Sleep{.ms = 250});
  CHECK(sleep.kind == "sleep");
  CHECK(args_of(sleep) == R"({"ms":250})");

  Effect r2 = effects::to_effect(
      effects::R2Put{.key = "a.md", .value = "# A", .content_type = "text/markdown"});
  CHECK(args_of(r2) == R"({"contentType":"text/markdown","key":"a.md","value":"# A"})");

  Effect wait = effects::to_effect(effects::MailboxWait{.key = "reply:1", .timeout_ms = 5000});
  CHECK(args_of(wait) == R"({"key":"reply:1","timeoutMs":5000})");
}

TEST_CASE("JSON arguments as they are, null included", "[effects]") {
  Effect post = effects::to_effect(effects::MailboxPost{.key = "k", .value = Json()});
  CHECK(args_of(post) == R"({"key":"k","value":null})");

  Effect query =
      effects::to_effect(effects::D1Query{.sql = "SELECT ?", .params = Json::array({1, "x"})});
  CHECK(args_of(query) == R"({"params":[1,"x"],"sql":"SELECT ?"})");

  Effect workflow = effects::to_effect(effects::WorkflowCreate{
      .binding = "ANALYSIS", .id = "run-1", .params = Json{{"symbol", "SPY"}}});
  CHECK(args_of(workflow) == R"({"binding":"ANALYSIS","id":"run-1","params":{"symbol":"SPY"}})");
}

TEST_CASE("an optional argument is left out when empty", "[effects]") {
  http::Headers headers = {{"Content-Type", "text/event-stream"}};
  Effect plain = effects::to_effect(effects::ResponseStart{.status = 200, .headers = headers});
  CHECK(args_of(plain) == R"({"headers":[["Content-Type","text/event-stream"]],"status":200})");

  Effect keyed = effects::to_effect(
      effects::ResponseStart{.status = 200, .headers = headers, .stream_key = "sse"});
  CHECK(args_of(keyed) ==
        R"({"headers":[["Content-Type","text/event-stream"]],"status":200,"streamKey":"sse"})");
}

TEST_CASE("headers, requests and statements in their wire shapes", "[effects]") {
  http::Request request;
  request.method = "POST";
  request.url = "https://api.example.com/v1/orders";
  request.headers = {{"Authorization", "Bearer t"}, {"Accept", "application/json"}};
  request.body = "{}";

  Effect fetch = effects::to_effect(effects::HttpFetch{.method = request.method,
                                                       .url = request.url,
                                                       .headers = request.headers,
                                                       .body = request.body,
                                                       .timeout_ms = 15000,
                                                       .max_bytes = 1024});
  Json expected = http::request_to_json(request);
  expected["timeoutMs"] = 15000;
  expected["maxBytes"] = 1024;
  CHECK(args_of(fetch) == dump_json(expected));
  CHECK(
      args_of(fetch) ==
      R"({"body":"{}","headers":[["Authorization","Bearer t"],["Accept","application/json"]],)"
      R"("maxBytes":1024,"method":"POST","timeoutMs":15000,"url":"https://api.example.com/v1/orders"})");

  Effect object = effects::to_effect(
      effects::ObjectFetch{.binding = "HUB", .name = "user-1", .request = request});
  CHECK(args_of(object) ==
        dump_json(Json{
            {"binding", "HUB"}, {"name", "user-1"}, {"request", http::request_to_json(request)}}));

  http::Response response = http::Response::text(202, "accepted", "text/plain");
  Effect send = effects::to_effect(effects::ResponseSend{
      .status = response.status, .headers = response.headers, .body = response.body});
  CHECK(args_of(send) == dump_json(response.to_json()));

  effects::D1Batch batch;
  batch.statements.push_back({.sql = "DELETE FROM t WHERE id = ?", .params = Json::array({7})});
  batch.statements.push_back({.sql = "SELECT 1"});
  CHECK(
      args_of(effects::to_effect(std::move(batch))) ==
      R"({"statements":[{"params":[7],"sql":"DELETE FROM t WHERE id = ?"},{"params":[],"sql":"SELECT 1"}]})");
}

TEST_CASE("an effect as a fallback lists it", "[effects]") {
  Json write = effect_json(
      effects::to_effect(effects::StreamWrite{.stream_key = "sse", .data = "data: x\n\n"}));
  CHECK(dump_json(write) ==
        R"({"args":{"data":"data: x\n\n","streamKey":"sse"},"kind":"stream.write"})");
}
