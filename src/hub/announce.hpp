// How the rest of the server tells a person's hub that one of their resources changed, so
// their subscriptions/listen streams and subscribed sessions hear of it
// (resource_listeners.hpp). Called where the change is seen: a positions read that found
// other holdings than the last one; and by a session whose subscriptions changed.
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

// A 2025-11-25 session's resource subscriptions, as they are now (empty: none, or the
// session ended), so the hub passes the changes of those resources on to it.
Task<bool> announce_session_subscriptions(Io& io, std::string user_id, std::string session_id,
                                          Json uris);

}  // namespace bmcp::hub
