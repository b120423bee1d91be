// The fixture the official MCP conformance suite (@modelcontextprotocol/conformance, server
// scenarios) calls by name: tools test_*, resources test://…, prompts test_*, served under
// the serverInfo name `mcp-conformance-test-server`. It exists only in the conformance build
// of core.wasm (-DBMCP_FLAVOR=conformance, tests/conformance/entry_conformance.cpp), which
// `npm run conformance` serves with `wrangler dev`; it is never deployed.
//
// The suite connects without authentication, so every principal sees the same catalog.
#pragma once

#include "app/catalog_set.hpp"

namespace bmcp::conformance {

mcp::Catalog build_conformance_catalog(const app::Config& config);
app::CatalogSet build_conformance_catalogs(const app::Config& config);

}  // namespace bmcp::conformance
