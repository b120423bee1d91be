#include "brokers/tastytrade/tastytrade_tools.hpp"

#include "brokers/tastytrade/tastytrade_api.hpp"
#include "brokers/upstream/url.hpp"

namespace bmcp::tastytrade {

void add_tastytrade_tools(mcp::Catalog& catalog, upstream::Endpoint endpoint,
                          const brokers::BrokerAccess& access, const logging::Logger& log,
                          const brokers::BrokerToolOptions& options) {
  brokers::add_broker_tools(catalog, tastytrade_profile(), std::move(endpoint), access, log,
                            options, {add_read_tools, add_order_tools, add_portfolio_resource});
}

std::string account_path(const privacy::AccountEntry& e) {
  return "/accounts/" + upstream::percent_encode(e.account_number);
}

}  // namespace bmcp::tastytrade
