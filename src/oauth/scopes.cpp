#include "oauth/scopes.hpp"

#include <algorithm>

namespace bmcp::oauth {

std::vector<std::string> supported_scopes() {
  return {std::string(kScopeRead), std::string(kScopeTrade)};
}

std::string all_scopes() { return std::string(kScopeRead) + " " + std::string(kScopeTrade); }

std::vector<std::string> split_scope(std::string_view scope) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < scope.size()) {
    while (pos < scope.size() && scope[pos] == ' ') ++pos;
    std::size_t end = scope.find(' ', pos);
    if (end == std::string_view::npos) end = scope.size();
    if (end > pos) out.emplace_back(scope.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

ScopeCheck check_requested_scope(std::string_view requested) {
  ScopeCheck check;
  if (requested.size() > 1024) {
    check.error_description = "scope is too long";
    return check;
  }
  // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by single spaces.
  for (char c : requested) {
    auto b = static_cast<unsigned char>(c);
    if (!(b == 0x20 || b == 0x21 || (b >= 0x23 && b <= 0x5B) || (b >= 0x5D && b <= 0x7E))) {
      check.error_description = "scope contains characters that are not allowed";
      return check;
    }
  }
  bool read = false, trade = false, any = false;
  for (const std::string& token : split_scope(requested)) {
    if (token == kScopeRead) read = any = true;
    else if (token == kScopeTrade) trade = any = true;
    else if (token == "offline_access" || token == "openid") continue;
    else {
      check.error_description = "unknown scope " + token + " (supported: " + all_scopes() + ")";
      return check;
    }
  }
  if (!any) {
    check.scope = all_scopes();
    return check;
  }
  std::string scope;
  if (read) scope = std::string(kScopeRead);
  if (trade) scope += (scope.empty() ? "" : " ") + std::string(kScopeTrade);
  check.scope = scope;
  return check;
}

bool scope_within(std::string_view narrower, std::string_view wider) {
  auto have = split_scope(wider);
  for (const std::string& s : split_scope(narrower))
    if (std::find(have.begin(), have.end(), s) == have.end()) return false;
  return true;
}

std::string scope_intersection(std::string_view a, std::string_view b) {
  std::string out;
  for (const std::string& s : supported_scopes())
    if (scope_within(s, a) && scope_within(s, b)) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::string chosen_scope(bool allow_trading) {
  return allow_trading ? all_scopes() : std::string(kScopeRead);
}

}  // namespace bmcp::oauth
