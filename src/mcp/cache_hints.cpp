#include "mcp/cache_hints.hpp"

#include <array>

namespace bmcp::mcp {

bool is_cacheable_method(std::string_view method) {
  static constexpr std::array<std::string_view, 6> kCacheable = {
      "server/discover",          "tools/list",    "prompts/list", "resources/list",
      "resources/templates/list", "resources/read"};
  for (std::string_view m : kCacheable)
    if (m == method) return true;
  return false;
}

void put_cache_hint(Json& result, CacheHint hint) {
  result["ttlMs"] = hint.ttl_ms < 0 ? 0 : hint.ttl_ms;
  result["cacheScope"] = hint.shared ? "public" : "private";
}

}  // namespace bmcp::mcp
