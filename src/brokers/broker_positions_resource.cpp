#include "brokers/broker_positions_resource.hpp"

namespace bmcp::brokers {
namespace {

Task<resources::PositionsAnswer> read_positions(mcp::RequestContext& ctx, BrokerKitRef kit,
                                                PositionsReader read) {
  BrokerCall call(ctx, *kit);
  resources::PositionsAnswer answer = co_await read(call);
  co_return answer;
}

}  // namespace

void add_positions_resource(mcp::Catalog& catalog, BrokerKitRef kit, PositionsReader read) {
  std::string provider(broker_id(kit->profile.broker));
  auto fetch = [kit, read](mcp::RequestContext& ctx) { return read_positions(ctx, kit, read); };
  catalog.resources.push_back(resources::make_positions_resource(std::move(provider), fetch));
}

std::string failure_text(const BrokerCall& call, const mcp::ToolResult& failure) {
  std::string fallback =
      std::string(broker_label(call.kit().profile.broker)) + " could not be reached";
  if (failure.content.empty()) return fallback;
  return get_string(failure.content[0], "text").value_or(fallback);
}

}  // namespace bmcp::brokers
