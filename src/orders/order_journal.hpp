// The order journal (D1 order_journal): every mutating broker call is written down before
// it is sent (status 'sent') and completed after ('succeeded', 'failed', or 'unknown' when
// no answer came back), with who, what, when and the result. Requests and results are
// stored already scrubbed of account identifiers. If the first write fails, the mutation
// must not be sent.
#pragma once

#include "base/json.hpp"
#include "effects/io.hpp"
#include "effects/task.hpp"

#include <string>

namespace bmcp::orders {

struct JournalEntry {
  std::string id;  // filled by journal_begin
  std::string user_id;
  std::string provider;
  std::string action;  // "place" | "replace" | "cancel"
  std::string account_display;
  Json request;              // scrubbed
  std::string confirmation;  // "token" | "elicitation"
};

// Writes the 'sent' row; false when it could not be written.
Task<bool> journal_begin(Io& io, JournalEntry& entry);

// status: "succeeded" | "failed" | "unknown".
Task<bool> journal_finish(Io& io, JournalEntry entry, std::string status, Json result);

}  // namespace bmcp::orders
