// Finds secrets inside free text (log messages, error bodies, URLs, headers dumped as text)
// and replaces them with "[REDACTED]". Field-level redaction (log_redaction.hpp) handles
// values whose NAME says they are secret; this handles secrets that hide in a string.
//
// What redact_secrets_in_text removes (each rule is one linear pass):
//  * "Bearer <credential>" -> "Bearer [REDACTED]" (except RFC 6750 auth-params such as
//    `Bearer realm="..."`); "Basic <base64>" likewise when the credential looks like base64;
//  * `<secret name><sep><value>` where the name is a secret field name (field_names.hpp) and
//    <sep> is ':' or '=', with or without quotes or JSON escapes around name and value:
//    `access_token=abc&x=1`, `"refresh_token":"abc"`, `{\"code\":\"abc\"}`,
//    `Authorization: Basic abc`; for Authorization and Cookie headers the value runs to the
//    end of the line;
//  * JWT-shaped strings: three or more base64url segments separated by '.', when the first
//    segment starts with "eyJ" (a JSON header) or the second and third are 16+ characters
//    (Schwab-style "I0.<...>.<...>@" tokens);
//  * opaque credentials: 32+ characters of [A-Za-z0-9_+=-] mixing letters and digits, except
//    UUIDs (request and correlation ids stay readable).
// Applying it twice gives the same text as applying it once.
#pragma once

#include <string>
#include <string_view>

namespace bmcp::privacy {

inline constexpr std::string_view kRedacted = "[REDACTED]";

std::string redact_secrets_in_text(std::string_view text);

// Without an account map the log redactor cannot know which numbers are accounts, so it
// shortens every run of 8 or more digits to "...<last 3>" except runs that are plainly not
// account numbers:
//  * part of a decimal number ("12345678.50", "0.123456789");
//  * a Unix timestamp: 10 digits in [1e9, 2^31) seconds, 13 digits in [1e12, 4.1e12) ms,
//    16 digits in [1e15, 4.1e15) us, 19 digits in [1e18, 4.1e18) ns;
//  * the strike of an OCC option symbol (6 digits, C or P, 8 digits: "241115C00210000");
//  * a group of a UUID.
// Everything else (order ids, CUSIPs made of digits, phone numbers) is shortened too: a
// number we cannot tell from an account number is treated as one. Digit groups joined by
// single hyphens count as one run ("1234-5678", Schwab's way of writing an account number)
// unless they are a YYYY-MM-DD date or part of a UUID.
std::string mask_long_digit_runs(std::string_view text);

// tastytrade account numbers are letters and digits ("5WT10123"), which no digit rule sees:
// every token (a maximal run of ASCII letters and digits) of the shape 1-2 digits, 2-3
// letters, 4-6 digits becomes "...<last 3>". Applied to every log line, with or without an
// account map, so a number the map does not know (or a line logged without one) is masked.
std::string mask_account_shaped_tokens(std::string_view text);

}  // namespace bmcp::privacy
