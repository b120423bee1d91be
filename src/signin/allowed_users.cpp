#include "signin/allowed_users.hpp"

namespace bmcp::signin {
namespace {

bool is_email(std::string_view entry) {
  auto at = entry.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < entry.size() &&
         entry.find(':') == std::string_view::npos;
}

bool is_identity(std::string_view entry) {
  for (std::string_view broker : {"schwab:", "tastytrade:"})
    if (entry.size() > broker.size() && entry.substr(0, broker.size()) == broker) return true;
  return false;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

}  // namespace

bool AllowedUsers::admits(std::string_view user_id, std::string_view email) const {
  if (!restricts()) return true;
  for (const std::string& entry : entries) {
    if (is_email(entry) ? !email.empty() && equal_ignoring_case(entry, email) : entry == user_id)
      return true;
  }
  return false;
}

AllowedUsers parse_allowed_users(std::string_view text, std::vector<std::string>& errors) {
  AllowedUsers out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    std::string_view entry =
        text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (!entry.empty()) {
      if (is_email(entry) || is_identity(entry)) out.entries.emplace_back(entry);
      else
        errors.push_back(
            "ALLOWED_USERS: \"" + std::string(entry) +
            "\" is neither a broker identity (schwab:<id>, tastytrade:<id>) nor an e-mail address");
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace bmcp::signin
