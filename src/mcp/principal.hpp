// The authenticated party behind an MCP request: who the bearer token names and which
// broker they signed in with. Every user-scoped query and cache key is built from
// `user_id`; an unauthenticated principal exists only in the conformance fixture build.
//
// `grants(scope)` is the one question every scope check asks (the MCP server layer for
// tools/list and tools/call, the order mutation flow): an unauthenticated principal is
// granted no scope, and an empty requirement is met by everyone.
#pragma once

#include <string>
#include <string_view>

namespace bmcp::mcp {

struct Principal {
  std::string user_id;  // stable: broker identity (tastytrade external-id, Schwab customer id)
  std::string email;
  std::string broker;  // "schwab" | "tastytrade" | "" (none)
  std::string scope;   // the grant's scope, space-separated (RFC 6749 §3.3)
  std::string grant_id;
  bool authenticated = false;

  // True when `required` is empty or is one of the space-separated tokens of `scope`.
  bool grants(std::string_view required) const {
    if (required.empty()) return true;
    if (!authenticated) return false;
    std::string_view rest = scope;
    while (!rest.empty()) {
      std::size_t end = rest.find(' ');
      std::string_view token = rest.substr(0, end);
      if (token == required) return true;
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
    return false;
  }
};

}  // namespace bmcp::mcp
