#include "brokers/broker_profile.hpp"

namespace bmcp::brokers {

upstream::Endpoint base_endpoint(Broker broker, const Json& vars, const char* base_variable,
                                 const char* default_base) {
  upstream::Endpoint ep;
  ep.provider = std::string(broker_id(broker));
  ep.label = std::string(broker_label(broker));
  ep.base_url = get_string(vars, base_variable).value_or("");
  if (ep.base_url.empty()) ep.base_url = default_base;
  while (!ep.base_url.empty() && ep.base_url.back() == '/') ep.base_url.pop_back();
  return ep;
}

}  // namespace bmcp::brokers
