// The authenticated party behind an MCP request: who the bearer token names and which
// broker they signed in with. Every user-scoped query and cache key is built from
// `user_id`; an unauthenticated principal exists only in the conformance fixture build.
#pragma once

#include <string>

namespace bmcp::mcp {

struct Principal {
  std::string user_id;   // stable: broker identity (tastytrade external-id, Schwab customer id)
  std::string email;
  std::string broker;    // "schwab" | "tastytrade" | "" (none)
  std::string scope;
  std::string grant_id;
  bool authenticated = false;
};

}  // namespace bmcp::mcp
