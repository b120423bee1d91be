// Analysis events — progress and completion of a run — on their way to the person:
// a step publishes an event to the Queue (ANALYSIS_EVENTS); the Queue's consumer records
// it once in D1 `analysis_events` (the run's timeline) and broadcasts it through the
// person's hub (USER_HUB Durable Object named by their user id), on the channels
// "analysis" and "analysis:<workflowId>". Delivery is at least once: recording is keyed
// by the event id, and a failed broadcast retries the message.
#pragma once

#include "base/json.hpp"
#include "effects/io.hpp"
#include "effects/task.hpp"
#include "hub/user_hub.hpp"

#include <string>

namespace bmcp::analysis_runs::analysis_events {

inline constexpr const char* kQueueBinding = "ANALYSIS_EVENTS";
inline constexpr const char* kHubBinding = hub::kUserHubBinding;

struct RunRef {
  std::string id;
  std::string user_id;
  std::string kind;  // "chart" | "full"
  std::string symbol;
};

Json progress_event(const RunRef& run, std::string step, double progress, std::string message);
Json completion_event(const RunRef& run, std::string status, std::string error = {});

// Queues the event for the run's owner; false when it could not be queued.
Task<bool> publish(Io& io, const RunRef& run, Json event);

// The Queue consumer, for one message: true when it is done with (recorded and
// broadcast, or not deliverable at all), false to have the Queue deliver it again.
Task<bool> consume(Io& io, Json message);

}  // namespace bmcp::analysis_runs::analysis_events
