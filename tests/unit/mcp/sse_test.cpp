// SSE framing: payloads can never break out of their event.
#include <catch2/catch.hpp>

#include "mcp/sse.hpp"

using namespace bmcp::mcp;

TEST_CASE("SSE events", "[sse]") {
  CHECK(sse_event("{\"a\":1}") == "event: message\ndata: {\"a\":1}\n\n");
  CHECK(sse_event("/sse/message?sessionId=1", "endpoint") ==
        "event: endpoint\ndata: /sse/message?sessionId=1\n\n");
  SECTION("multi-line data stays inside one event") {
    CHECK(sse_event("a\nb\r\nc\rd") == "event: message\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  }
  SECTION("event names and ids cannot inject fields") {
    CHECK(sse_event("x", "message\ndata: evil", "1\n2") ==
          "event: messagedata: evil\nid: 12\ndata: x\n\n");
  }
  CHECK(sse_comment("keep\nalive") == ": keepalive\n\n");
}
