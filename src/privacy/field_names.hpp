// What a field name says about its value: whether it carries a secret (redacted from logs)
// or an account identifier (replaced for the model, shortened in logs). Names are compared
// after normalize_field_name, so access_token, accessToken, Access-Token and "access token"
// are one name.
#pragma once

#include <string>
#include <string_view>

#include "base/json.hpp"

namespace bmcp::privacy {

// Lower-case ASCII with '_', '-', '.', and whitespace removed.
std::string normalize_field_name(std::string_view name);

// Credentials and anything that lets someone act as the user: tokens of every kind, OAuth
// codes, PKCE verifiers, OAuth state (it carries the verifier), client secrets, passwords,
// API keys, JWTs, Authorization and Cookie headers, session ids. Deliberately broad: any name
// containing token, secret, password, credential, cookie, session id, api key, private or
// signing key, verifier, authorization or jwt, except names that only describe a
// token (token_type, token_endpoint, *_url, *_expires_in, ...).
bool is_secret_field_name(std::string_view name);

// Header names whose value runs to the end of the line (a cookie list, "Bearer abc").
bool is_header_secret_name(std::string_view name);

// Values under the field `code` that are status or error codes, not OAuth codes: integers,
// digit strings of up to 6 digits, and SCREAMING_SNAKE words such as "TOKEN_EXPIRED" (starting
// with a letter, no run of more than 4 digits). Keeping them keeps logs useful.
bool is_status_code_value(const Json& value);
bool is_status_code_text(std::string_view text);

// account, accountNumber, account-number, account_number, accountNumbers, hashValue,
// accountHash, accountId, acctNumber, ...
bool is_account_field_name(std::string_view name);

// Fields that say who the person is to the broker rather than anything about their money:
// Schwab's schwabClientCustomerId and schwabClientCorrelId (userPreference streamerInfo),
// customer ids, tastytrade's external-id. They are dropped from every answer to the model.
bool is_identity_field_name(std::string_view name);

}  // namespace bmcp::privacy
