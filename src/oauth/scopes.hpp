// The scopes an MCP client can be granted, what they mean in plain words (the consent
// page shows these), and how a requested scope string is checked (RFC 6749 §3.3).
//
//   brokerage:read   accounts, balances, positions, orders and transactions; quotes,
//                    option chains and price history
//   brokerage:trade  prepare orders, which are sent only after the person confirms each one
//
// An empty request means every scope. `offline_access` and `openid`, which some clients add
// by habit, are ignored rather than refused; any other unknown scope is invalid_scope.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmcp::oauth {

inline constexpr std::string_view kScopeRead = "brokerage:read";
inline constexpr std::string_view kScopeTrade = "brokerage:trade";

std::vector<std::string> supported_scopes();
std::string all_scopes();  // space-separated, in canonical order

struct ScopeCheck {
  std::optional<std::string> scope;  // normalized (canonical order, no duplicates) when valid
  std::string error_description;     // when not
};

ScopeCheck check_requested_scope(std::string_view requested);

// True when every scope in `narrower` is in `wider`.
bool scope_within(std::string_view narrower, std::string_view wider);

std::vector<std::string> split_scope(std::string_view scope);

// The scopes in both, in canonical order ("" when none): a remembered approval never
// grants more than the person chose, nor more than the client asks for.
std::string scope_intersection(std::string_view a, std::string_view b);

// What the person chose on the consent page: brokerage:read, plus brokerage:trade only
// when they ticked "allow trading".
std::string chosen_scope(bool allow_trading);

}  // namespace bmcp::oauth
