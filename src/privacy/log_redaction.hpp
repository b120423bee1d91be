// Makes any JSON value safe to write to a log. Secrets never reach a log; account numbers
// reach it only as "...789".
//
// redact_for_log(value, accounts) returns a copy where, at any depth:
//  * the value of every secret field (field_names.hpp: access_token, refreshToken, id-token,
//    code, code_verifier, client_secret, password, Authorization, Cookie, Set-Cookie, api_key,
//    jwt, state, session ids, ...) is "[REDACTED]", whatever its type; null and booleans stay
//    (they tell "missing" from "present" and hold no secret), and `code` keeps integers and
//    SCREAMING_SNAKE error codes;
//  * header lists are understood: ["Authorization", "Bearer x"] pairs and
//    {"name": "Cookie", "value": "..."} objects have the value redacted;
//  * every string and every key goes through redact_text_for_log;
//  * account identifiers become "...789" (last 3 characters of the account number): with a
//    map, every known number and hash in keys, strings, substrings and JSON numbers; with or
//    without a map, identifier-shaped values of account fields (accountNumber, hashValue,
//    account-number, ...); with or without a map, tastytrade-shaped account numbers
//    ("5WT10123") anywhere in a string or key by mask_account_shaped_tokens; without a map,
//    also digit runs (hyphenated ones included) by mask_long_digit_runs;
//  * input nested deeper than kMaxLogDepth becomes a placeholder string.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/json.hpp"
#include "privacy/account_display_map.hpp"

namespace bmcp::privacy {

inline constexpr std::size_t kMaxLogDepth = 64;

// `accounts` may be null (no map is known yet, e.g. during OAuth).
Json redact_for_log(const Json& value, const AccountDisplayMap* accounts);

// The rules for one string: account identifiers (map, or digit heuristic without one), then
// Bearer/Basic credentials, secret name=value pairs, JWTs and opaque tokens.
std::string redact_text_for_log(std::string_view text, const AccountDisplayMap* accounts);

}  // namespace bmcp::privacy
