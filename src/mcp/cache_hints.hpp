// Caching hints of the 2026-07-28 protocol (server/utilities/caching, SEP-2549): a
// complete result of server/discover, tools/list, prompts/list, resources/list,
// resources/templates/list or resources/read MUST carry `ttlMs` (how long the client may
// reuse it) and `cacheScope` ("private": for this caller only; "public": the same for
// everyone). Session-era results carry neither.
//
// Guarantees: every such result this server answers on 2026-07-28 has both fields. The
// scope is private unless the content is provably the same for every caller: listings
// depend on the person's grant (tools filtered by scope) and broker (their resources).
#pragma once

#include "base/json.hpp"

#include <cstdint>
#include <string_view>

namespace bmcp::mcp {

struct CacheHint {
  std::int64_t ttl_ms = 0;  // 0: stale at once (live data)
  bool shared = false;      // cacheScope "public" instead of "private"
};

// Discovery and listings change only with a deploy or a new grant: five minutes.
inline constexpr CacheHint kCatalogCacheHint{5 * 60 * 1000, false};

// The methods whose complete results carry caching hints.
bool is_cacheable_method(std::string_view method);

// Sets ttlMs and cacheScope on a result object.
void put_cache_hint(Json& result, CacheHint hint);

}  // namespace bmcp::mcp
