#include "brokers/tastytrade/tastytrade_tools.hpp"

#include "brokers/tastytrade/tastytrade_api.hpp"
#include "brokers/upstream/url.hpp"

namespace bmcp::tastytrade {

void add_tastytrade_tools(mcp::Catalog& catalog, upstream::Endpoint endpoint,
                          const brokers::BrokerAccess& access, const logging::Logger& log,
                          const brokers::BrokerToolOptions& options) {
  auto kit = std::make_shared<const brokers::BrokerKit>(tastytrade_profile(), std::move(endpoint),
                                                        access, log, options);
  add_read_tools(catalog, kit);
  add_order_tools(catalog, kit);
  add_portfolio_resource(catalog, kit);
}

std::string account_path(const privacy::AccountEntry& e) {
  return "/accounts/" + upstream::percent_encode(e.account_number);
}

}  // namespace bmcp::tastytrade
