// The consent page: a small, self-contained HTML page (no scripts, no external assets,
// readable on a phone, usable with a keyboard and a screen reader) that says which app is
// asking, where its answer goes, what it will be able to do, and lets the person pick the
// broker to sign in with, whether to allow trading (read-only unless they tick it), then
// Approve or Deny.
#pragma once

#include "oauth/server_settings.hpp"

#include <string>
#include <vector>

namespace bmcp::oauth {

struct ConsentPageModel {
  std::string client_name;  // as registered (self-declared); may be empty
  std::string client_id;
  std::string redirect_host;  // where the answer goes, e.g. "claude.ai"
  std::string scope;          // the scope the client asked for, space-separated
  // "Allow trading" is a checkbox in the form, shown when offered; it starts ticked only
  // when the client asked for brokerage:trade. The grant is what the person leaves ticked.
  std::vector<BrokerChoice> brokers;
  bool sandbox_brokerage = false;
  bool trading_enabled = true;
  bool offer_trade = false;
  std::string ticket;      // sealed consent ticket
  std::string csrf_token;  // also in the consent cookie
};

// The whole page body (inside <main>), for html_page().
std::string render_consent_body(const ConsentPageModel& model);
std::string consent_page_title(const ConsentPageModel& model);

}  // namespace bmcp::oauth
