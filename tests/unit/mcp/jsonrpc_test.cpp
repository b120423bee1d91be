// JSON-RPC 2.0 classification as MCP narrows it (spec 2025-11-25 basic/index#messages).
#include <catch2/catch.hpp>

#include "mcp/jsonrpc.hpp"

using namespace bmcp;
using namespace bmcp::mcp;

namespace {
int error_code(const Classified& c) {
  const Json& e = std::get<Json>(c);
  return e["error"]["code"].get<int>();
}
}  // namespace

TEST_CASE("requests, notifications and responses are told apart", "[jsonrpc]") {
  auto req = classify(*parse_json(R"({"jsonrpc":"2.0","id":1,"method":"ping"})"));
  REQUIRE(std::holds_alternative<RpcMessage>(req));
  CHECK(std::get<RpcMessage>(req).kind == RpcMessage::Kind::Request);

  auto note = classify(*parse_json(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  CHECK(std::get<RpcMessage>(note).kind == RpcMessage::Kind::Notification);

  auto res = classify(*parse_json(R"({"jsonrpc":"2.0","id":"a","result":{}})"));
  CHECK(std::get<RpcMessage>(res).kind == RpcMessage::Kind::Response);
  auto err =
      classify(*parse_json(R"({"jsonrpc":"2.0","id":"a","error":{"code":1,"message":"x"}})"));
  CHECK(std::get<RpcMessage>(err).is_error);
}

TEST_CASE("invalid messages get -32600 with the id when it can be read", "[jsonrpc]") {
  SECTION("wrong version") {
    auto c = classify(*parse_json(R"({"jsonrpc":"1.0","id":5,"method":"ping"})"));
    CHECK(error_code(c) == rpc_error::kInvalidRequest);
    CHECK(std::get<Json>(c)["id"] == 5);
  }
  SECTION("null id is not allowed in MCP") {
    auto c = classify(*parse_json(R"({"jsonrpc":"2.0","id":null,"method":"ping"})"));
    CHECK(error_code(c) == rpc_error::kInvalidRequest);
    CHECK(std::get<Json>(c)["id"].is_null());
  }
  SECTION("other invalid shapes") {
    for (const char* text :
         {R"([])", R"(1)", R"("x")", R"({"jsonrpc":"2.0","id":1,"method":5})",
          R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})",
          R"({"jsonrpc":"2.0","id":{},"method":"ping"})",
          R"({"jsonrpc":"2.0","id":1,"method":"x","params":[1]})", R"({"jsonrpc":"2.0","id":1})",
          R"({"jsonrpc":"2.0","id":1,"result":{},"error":{}})",
          R"({"jsonrpc":"2.0","result":{}})"}) {
      CAPTURE(text);
      CHECK(error_code(classify(*parse_json(text))) == rpc_error::kInvalidRequest);
    }
  }
}

TEST_CASE("responses are built to the spec", "[jsonrpc]") {
  CHECK(make_result(1, Json::object()) ==
        Json{{"jsonrpc", "2.0"}, {"id", 1}, {"result", Json::object()}});
  Json e = make_error("x", -32602, "bad", {{"uri", "u"}});
  CHECK(e["error"]["code"] == -32602);
  CHECK(e["error"]["data"]["uri"] == "u");
  CHECK_FALSE(make_error(1, -32600, "m").at("error").contains("data"));
  CHECK_FALSE(make_notification("n", Json::object()).contains("id"));
}
