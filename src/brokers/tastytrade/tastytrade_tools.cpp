#include "brokers/tastytrade/tastytrade_tools.hpp"

#include "brokers/tastytrade/tastytrade_call.hpp"

namespace bmcp::tools {

void add_tastytrade_tools(mcp::Catalog& catalog, const app::Config& config, const brokers::BrokerAccess& access,
                          const logging::Logger& log, TastytradeToolOptions options) {
  auto kit = std::make_shared<const tastytrade_detail::Kit>(config, access, log, options);
  tastytrade_detail::add_read_tools(catalog, kit);
  tastytrade_detail::add_order_tools(catalog, kit);
  tastytrade_detail::add_portfolio_resource(catalog, kit);
}

}  // namespace bmcp::tools
