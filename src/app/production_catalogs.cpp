#include "app/catalog_set.hpp"
#include "tools/status_tool.hpp"

namespace bmcp::app {

namespace {
mcp::ServerIdentity identity(const Config& config) {
  mcp::ServerIdentity id;
  id.version = config.server_version;
  id.instructions =
      "broker-mcp connects you to the person's brokerage account (Charles Schwab or "
      "tastytrade). Accounts are always named by display names such as Individual-...123; "
      "account numbers are never shown or needed. Orders are previewed first and sent only "
      "after the person confirms. Call `status` to see which broker is connected.";
  return id;
}
}  // namespace

CatalogSet build_production_catalogs(const Config& config, const Services& services) {
  (void)services;
  CatalogSet set;
  for (mcp::Catalog* c : {&set.signed_out, &set.schwab, &set.tastytrade}) {
    c->identity = identity(config);
    c->tools.push_back(tools::make_status_tool(config));
  }
  return set;
}

}  // namespace bmcp::app
