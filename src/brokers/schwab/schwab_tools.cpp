#include "brokers/schwab/schwab_tools.hpp"

#include "brokers/schwab/schwab_api.hpp"

namespace bmcp::schwab {

void add_schwab_tools(mcp::Catalog& catalog, upstream::Endpoint endpoint,
                      const brokers::BrokerAccess& access, const logging::Logger& log,
                      const brokers::BrokerToolOptions& options) {
  auto kit = std::make_shared<const brokers::BrokerKit>(schwab_profile(), std::move(endpoint),
                                                        access, log, options);
  add_read_tools(catalog, kit);
  add_order_tools(catalog, kit);
  add_portfolio_resource(catalog, kit);
}

}  // namespace bmcp::schwab
