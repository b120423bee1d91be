// The record of analysis runs in D1 `analyses` (migrations/0001_initial.sql), always
// scoped to the person: a run is inserted as `running`, then completed with its whole
// result in one statement, or marked `failed` with the error. A half-written analysis
// never exists: `result` is set only together with status `complete`.
#pragma once

#include "base/json.hpp"
#include "effects/io.hpp"
#include "effects/task.hpp"

#include <optional>
#include <string>

namespace bmcp::analysis_runs {

// "an_" + 24 hex digits of secure randomness.
std::string new_run_id(Io& io);

Task<bool> insert_run(Io& io, std::string id, std::string user_id, std::string kind,
                      std::string symbol, Json params);
Task<bool> complete_run(Io& io, std::string id, std::string user_id, Json result);
Task<bool> fail_run(Io& io, std::string id, std::string user_id, std::string error);

// Where a running analysis is: a fraction 0–1 and the step in words (no effect once the
// run has ended).
Task<bool> set_progress(Io& io, std::string id, std::string user_id, double progress,
                        std::string message);

// The events the Queue consumer recorded for this run (analysis_events), oldest first:
// [{type, at, progress?, message?, status?}].
Task<Json> run_events(Io& io, std::string id, std::string user_id);

// {workflowId, kind, symbol, params, status, progress, message?, result?, error?,
// createdAt, completedAt?}; nullopt when the run does not exist or belongs to someone else.
Task<std::optional<Json>> find_run(Io& io, std::string id, std::string user_id);

}  // namespace bmcp::analysis_runs
