// One user's accounts and the names the model sees for them. Account numbers and hashes
// never leave the server; the model sees and types display names such as
// `Individual-...123`, and tools turn those back into numbers through this map.
//
// Guarantees:
//  * every account has exactly one display name, and no two display names are equal, even
//    compared the way user input is compared (ASCII case and whitespace ignored);
//  * a display name never contains any account number or hash of the map;
//  * the same accounts give the same names whatever order they are listed in.
//
// Naming rule (`build`):
//  1. label  = the account's type ("Individual", "IRA", "Margin", tastytrade
//              account-type-name), else its nickname, else "Account". Characters other than
//              ASCII letters, digits, space, '&', '\'', '+', '/', '-' become spaces; runs of
//              spaces collapse; at most 32 characters. A label that would reveal an
//              identifier (it contains one, or a run of 5+ digits) is replaced by "Account".
//  2. name   = label + "-..." + the last 3 characters of the account number.
//  3. If several accounts get the same name, each of them shows the last 4 characters
//     instead ("Individual-...0123") when its number has at least 8 characters, so at least
//     half of every number stays hidden.
//  4. Names still equal after that are told apart by " (2)", " (3)", ... in ascending order
//     of account number; the smallest number keeps the plain name.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.hpp"
#include "privacy/identifier_matcher.hpp"

namespace bmcp::privacy {

// What a broker tells us about one account.
struct AccountIdentity {
  std::string account_number;  // Schwab accountNumber, tastytrade account-number
  std::string hash_value;      // Schwab hashValue; empty for tastytrade
  std::string type;            // e.g. "Individual", "IRA", "Margin"
  std::string nickname;        // used when `type` is empty
};

struct AccountEntry {
  std::string account_number;
  std::string hash_value;
  std::string type;
  std::string nickname;
  std::string display_name;
};

class AccountDisplayMap {
 public:
  // Identifiers shorter than this are not accepted: a short number would be mostly revealed
  // by its own display name, and as a substring it would match ordinary text everywhere.
  static constexpr std::size_t kMinIdentifierLength = 6;

  // A map that knows no account.
  AccountDisplayMap() = default;

  // Entries whose account number is shorter than kMinIdentifierLength, or contains
  // whitespace or control bytes, are dropped; such a hash is treated as absent. Repeated
  // account numbers are merged (the first non-empty hash, type and nickname win).
  static AccountDisplayMap build(const std::vector<AccountIdentity>& accounts);

  // Entries in ascending order of account number.
  const std::vector<AccountEntry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

  // Tool input -> account. Accepts a display name, compared ignoring ASCII case, whitespace,
  // '-' and '_' and treating "…" as "..."; for server-side callers also an exact account
  // number or hash. nullptr when nothing matches.
  const AccountEntry* resolve(std::string_view input) const;
  // What a tool argument may name: a display name only, never an account number or hash —
  // the model is never given those, so one in its input came from somewhere else (an
  // injected prompt, a pasted statement) and is refused, for every broker alike.
  const AccountEntry* resolve_tool_input(std::string_view input) const {
    return find_by_display_name(input);
  }

  const AccountEntry* find_by_display_name(std::string_view display_name) const;

  // Account number or hash (ASCII case ignored) -> account.
  const AccountEntry* find_by_identifier(std::string_view number_or_hash) const;

  // Account number or hash -> display name; nullopt when unknown.
  std::optional<std::string_view> display_name_for(std::string_view number_or_hash) const;

  // True when some identifier in the list is neither a known account number nor a known
  // hash: the broker knows an account this cached map does not, so it must be rebuilt.
  bool contains_unknown(const std::vector<std::string>& identifiers) const;

  // The cache form: {"version":1,"accounts":[{"account_number","hash_value","type",
  // "nickname"}]}. Display names are not stored; from_json recomputes them with `build`.
  Json to_json() const;
  // nullopt when `cached` is not a map of this version or an entry is malformed.
  static std::optional<AccountDisplayMap> from_json(const Json& cached);

  // Every identifier as a pattern (account numbers, their form without leading zeros,
  // hashes); pattern i belongs to entries()[entry_of_pattern(i)].
  const IdentifierMatcher& matcher() const { return matcher_; }
  const AccountEntry& entry_of_pattern(std::size_t pattern) const {
    return entries_[pattern_entry_[pattern]];
  }

  // Shortest identifier made only of digits (0 when there is none): a JSON number with fewer
  // digits cannot be, or contain, an account number.
  std::size_t shortest_numeric_identifier() const { return shortest_numeric_; }

  // Canonical form used to compare display names with user input.
  static std::string normalize_display_name(std::string_view text);

 private:
  std::vector<AccountEntry> entries_;
  IdentifierMatcher matcher_;
  std::vector<std::size_t> pattern_entry_;
  std::size_t shortest_numeric_ = 0;
};

}  // namespace bmcp::privacy
