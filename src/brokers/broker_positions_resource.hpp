// portfolio://positions (resources/resources.hpp) for one broker: the broker reads its
// positions as a BrokerCall (so they are scrubbed like every answer), and the resource is
// registered here, once for every broker.
#pragma once

#include "brokers/broker_call.hpp"
#include "mcp/catalog.hpp"
#include "resources/resources.hpp"

#include <string>

namespace bmcp::brokers {

using PositionsReader = Task<resources::PositionsAnswer> (*)(BrokerCall& call);

void add_positions_resource(mcp::Catalog& catalog, BrokerKitRef kit, PositionsReader read);

// The words of a failed tool result, for the resource's error ("<broker> could not be
// reached" when it has none).
std::string failure_text(const BrokerCall& call, const mcp::ToolResult& failure);

}  // namespace bmcp::brokers
