// Removes account numbers and account hashes from anything that is about to reach the model.
// Every tool result passes through scrub_accounts before it leaves the server.
//
// Guarantees of scrub_accounts, for every identifier of the map (account number, the number
// without its leading zeros, hash; ASCII case ignored):
//  * no occurrence survives anywhere: object keys, string values, substrings of longer
//    strings (error messages, URL paths), JSON numbers, at any depth;
//  * a key or string that IS an identifier becomes the display name; an identifier inside a
//    longer string is replaced in place ("account 11223344 not found" ->
//    "account Brokerage-...344 not found"), also when it is glued to other digits or letters;
//  * a JSON number equal to an account number becomes the display-name string; a number
//    whose decimal text merely contains one becomes a string with the identifier replaced
//    (a leak is worse than a changed type);
//  * everything else is copied unchanged: quantities, prices and ids that do not contain an
//    identifier keep their type and value;
//  * identifier-shaped values (6+ letters/digits) under account fields (accountNumber,
//    account-number, hashValue, accountId, ...) that the map does not know become
//    "[unknown account ...344]" rather than passing through;
//  * members whose name is an identity field (field_names.hpp is_identity_field_name:
//    schwabClientCustomerId, schwabClientCorrelId, customerId, external-id, ...) are dropped;
//  * identifiers are found in every spelling IdentifierMatcher knows: any ASCII case, and
//    with separators inside ("1234-5678", "1234_5678");
//  * when two keys of one object become the same name, later ones get " [2]", " [3]", ...;
//  * input nested deeper than kMaxScrubDepth is replaced by a placeholder string, so hostile
//    nesting can neither overflow the stack nor smuggle an identifier out.
// Scrubbing is idempotent: display names contain no identifier.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.hpp"
#include "privacy/account_display_map.hpp"

namespace bmcp::privacy {

inline constexpr std::size_t kMaxScrubDepth = 128;
inline constexpr std::string_view kTooDeepPlaceholder = "[omitted: nested too deeply]";

Json scrub_accounts(const Json& value, const AccountDisplayMap& accounts);

std::string scrub_accounts_in_text(std::string_view text, const AccountDisplayMap& accounts);

// scrub_accounts, then looks_like_leak on the result: the scrubbed value, or nullopt when
// an identifier survived (the caller must then show a plain error instead). The values of
// identity fields are also removed wherever else they occur (for example inside a tool
// result's text, which repeats its structuredContent).
std::optional<Json> scrub_for_model(const Json& value, const AccountDisplayMap& accounts);

// Last line of defence: true when any identifier of the map appears anywhere in `value`
// (keys, strings, the decimal text of numbers), at any depth (checked without recursion).
bool looks_like_leak(const Json& value, const AccountDisplayMap& accounts);

// True when an account field holds an identifier-shaped value the map does not know: the
// broker has an account the cached map lacks, and the map should be rebuilt.
bool mentions_unknown_account(const Json& value, const AccountDisplayMap& accounts);

// ---- Building blocks shared with the log redactor -------------------------------------------

enum class IdentifierReplacement {
  kDisplayName,  // "Individual-...123": for the model
  kMaskedTail,   // "...123" (last 3 characters of the account number): for logs
};

// "...789": the last 3 characters of an identifier.
std::string masked_tail(std::string_view identifier);

// `text` with every identifier occurrence replaced.
std::string replace_account_identifiers(std::string_view text, const AccountDisplayMap& accounts,
                                        IdentifierReplacement style);

// For a JSON number whose decimal text is or contains an identifier: the string it must
// become. nullopt for every other value (including non-numbers).
std::optional<std::string> replace_identifiers_in_number(const Json& number,
                                                         const AccountDisplayMap& accounts,
                                                         IdentifierReplacement style);

// 6 to 128 ASCII letters and digits: could be an account number or hash.
bool is_identifier_shaped(std::string_view text);

// Inserts `value` under `key`, or under "key [2]", "key [3]", ... when `key` is taken: two keys
// of one object can become the same text once identifiers are replaced.
void insert_with_unique_key(Json::object_t& members, const std::string& key, Json&& value);

}  // namespace bmcp::privacy
