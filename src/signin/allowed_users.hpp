// ALLOWED_USERS: who may sign in to a deployment. Empty (the default) admits anyone the
// broker signs in; otherwise only the listed people: broker identities as this server names
// them ("schwab:<customer id>", "tastytrade:<external id>", shown on the refusal page to a
// person who is not listed, so an owner can copy their own) or e-mail addresses the broker
// reports (tastytrade does; Schwab does not).
//
// Guarantees: a person who is not admitted gets no grant, no code and no stored broker
// tokens (signin/broker_callback.cpp checks before anything is written). Identities compare
// exactly; e-mail addresses case-insensitively.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bmcp::signin {

struct AllowedUsers {
  std::vector<std::string> entries;

  bool restricts() const { return !entries.empty(); }
  bool admits(std::string_view user_id, std::string_view email) const;
};

// Comma-separated, spaces around entries ignored. An entry that is neither an identity
// (<broker>:<id>) nor an e-mail address is reported in `errors`.
AllowedUsers parse_allowed_users(std::string_view text, std::vector<std::string>& errors);

}  // namespace bmcp::signin
