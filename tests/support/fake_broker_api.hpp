// What every broker's fake API and tool bench share: the recorded fixtures, HTTP answers
// in the fake platform's shape, reading a request the core sent, and calling one tool the
// way the dispatcher does. Each broker's bench (tests/unit/brokers/<broker>/) adds only its
// own routes and people.
#pragma once

#include <catch2/catch.hpp>

#include "mcp/catalog.hpp"
#include "mcp/request_context.hpp"

#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>

namespace bmcp::testing {

// tests/fixtures/<broker>/<name>, parsed (the test fails when it does not parse).
inline Json broker_fixture(const std::string& broker, const std::string& name) {
  std::ifstream in(std::string(BMCP_SOURCE_DIR) + "/tests/fixtures/" + broker + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = parse_json(ss.str());
  REQUIRE(j);
  return std::move(*j);
}

// An answer of the fake platform's http.fetch: status, [name, value] headers, the body as
// JSON text (empty for null).
inline Json http_answer(int status, const Json& body, Json headers) {
  return {{"status", status},
          {"headers", std::move(headers)},
          {"body", body.is_null() ? std::string() : dump_json(body)}};
}

// The request's path after `base`, without its query.
inline std::string request_path(const Json& req, const std::string& base) {
  std::string url = req.value("url", "");
  if (url.rfind(base, 0) == 0) url = url.substr(base.size());
  return url.substr(0, url.find('?'));
}

// The request's query, without the '?'.
inline std::string request_query(const Json& req) {
  std::string url = req.value("url", "");
  auto q = url.find('?');
  return q == std::string::npos ? "" : url.substr(q + 1);
}

// One header of the request; empty when it has none.
inline std::string request_header(const Json& req, const std::string& name) {
  for (const auto& h : req.value("headers", Json::array()))
    if (h.is_array() && h.size() == 2 && h[0] == name) return h[1].get<std::string>();
  return "";
}

// A fake broker API's scripting: a test sets `route` to answer some requests its own way;
// routed() is that answer, or nullopt to let the fake answer as the broker would.
struct RoutedFake {
  std::function<std::optional<Json>(const std::string& method, const std::string& path,
                                    const Json& req)>
      route;

  std::optional<Json> routed(const Json& req, const std::string& path) const {
    if (!route) return std::nullopt;
    return route(req.value("method", "GET"), path, req);
  }
};

// Calls one tool's handler as the dispatcher does, on a 2025-11-25 request context with
// the client's capabilities `caps`.
inline Task<Json> run_tool_handler(Io& io, const mcp::ToolDefinition* tool, Json args, Json caps,
                                   const mcp::Principal* principal, mcp::Outbound* outbound) {
  mcp::RequestContext ctx(io, *principal, *outbound, "2025-11-25", std::move(caps), Json(), "info");
  mcp::ToolResult r = co_await tool->handler(ctx, args);
  co_return r.to_json();
}

}  // namespace bmcp::testing
