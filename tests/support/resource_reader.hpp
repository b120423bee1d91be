// Reads a resource of a catalog the way resources/read does (a listed URI, else the first
// template that matches), as one principal: the tool benches' read().
#pragma once

#include "mcp/catalog.hpp"

#include <map>
#include <string>

namespace bmcp::testing {

inline Task<Json> read_catalog_resource(Io& io, const mcp::Catalog* c, std::string uri,
                                        const mcp::Principal* p, mcp::Outbound* out) {
  mcp::RequestContext ctx(io, *p, *out, "2025-11-25", Json::object(), Json(), "info");
  for (const auto& r : c->resources)
    if (r.uri == uri) {
      std::map<std::string, std::string> none;
      mcp::ResourceContents rc = co_await r.read(ctx, uri, none);
      co_return rc.contents ? *rc.contents : Json();
    }
  for (const auto& t : c->resource_templates)
    if (auto vars = mcp::match_uri_template(t.uri_template, uri)) {
      mcp::ResourceContents rc = co_await t.read(ctx, uri, *vars);
      co_return rc.contents ? *rc.contents : Json();
    }
  co_return Json();
}

}  // namespace bmcp::testing
