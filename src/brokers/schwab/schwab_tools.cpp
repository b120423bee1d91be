#include "brokers/schwab/schwab_tools.hpp"

#include "brokers/schwab/schwab_api.hpp"

namespace bmcp::schwab {

void add_schwab_tools(mcp::Catalog& catalog, upstream::Endpoint endpoint,
                      const brokers::BrokerAccess& access, const logging::Logger& log,
                      const brokers::BrokerToolOptions& options) {
  brokers::add_broker_tools(catalog, schwab_profile(), std::move(endpoint), access, log, options,
                            {add_read_tools, add_order_tools, add_portfolio_resource});
}

}  // namespace bmcp::schwab
