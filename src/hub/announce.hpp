// How the rest of the server tells a person's hub that one of their resources changed, so
// their subscriptions/listen streams hear of it (resource_listeners.hpp). Called where the
// change is seen: a positions read that found other holdings than the last one.
//
// Guarantees: the announcement goes to the hub named by `user_id` only. It is best effort:
// a deployment without the hub, or a hub that cannot be reached, loses the notice (listeners
// are told of changes, not sent the data), never the caller's own answer.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"

#include <string>

namespace bmcp::hub {

// True when the hub took the notice.
Task<bool> announce_resource_updated(Io& io, std::string user_id, std::string uri);

}  // namespace bmcp::hub
