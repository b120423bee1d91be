#include "brokers/schwab/schwab_tools.hpp"

#include "brokers/schwab/schwab_call.hpp"

namespace bmcp::tools {

void add_schwab_tools(mcp::Catalog& catalog, const app::Config& config, const brokers::BrokerAccess& access,
                      const logging::Logger& log, SchwabToolOptions options) {
  auto kit = std::make_shared<const schwab_detail::Kit>(config, access, log, options);
  schwab_detail::add_read_tools(catalog, kit);
  schwab_detail::add_order_tools(catalog, kit);
  schwab_detail::add_portfolio_resource(catalog, kit);
}

}  // namespace bmcp::tools
