// application/x-www-form-urlencoded bodies and URL query strings (WHATWG URL "urlencoded"
// parsing; RFC 3986 §2.1 percent-encoding), as OAuth uses them for /authorize queries,
// /token and /revoke bodies, and broker callbacks.
//
// Guarantees: parsing never fails silently and never aborts. It refuses (with a FormError)
// a malformed percent escape ("%", "%4", "%zz"), a name or value that is not UTF-8 after
// decoding, an empty name ("=x"), more than `max_parameters`, or input over `max_bytes`.
// Empty segments ("a=1&&b=2", trailing "&") are skipped; a segment without "=" has an empty
// value. Repeated names are kept and reported, because RFC 6749 §3.1 says request parameters
// MUST NOT be included more than once: the endpoint decides to refuse them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmcp::oauth {

struct FormParameter {
  std::string name;
  std::string value;
};

enum class FormError {
  None,
  TooLarge,
  TooManyParameters,
  BadPercentEscape,
  InvalidUtf8,
  EmptyName
};

struct FormLimits {
  std::size_t max_bytes = 64 * 1024;
  std::size_t max_parameters = 256;
};

struct ParsedForm {
  FormError error = FormError::None;
  std::string message;
  std::vector<FormParameter> parameters;  // in order of appearance, repeats included

  bool ok() const { return error == FormError::None; }

  // The first value given for `name`, or nullptr.
  const std::string* find(std::string_view name) const;
  // RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they were omitted
  // from the request." nullopt when absent or empty.
  std::optional<std::string_view> oauth_parameter(std::string_view name) const;
  bool is_repeated(std::string_view name) const;
  // Each name that occurs more than once, listed once, in order of first appearance.
  std::vector<std::string> repeated_names() const;
};

ParsedForm parse_form_urlencoded(std::string_view body, const FormLimits& limits = {});

// A URL's query component; a leading '?' is ignored. Same rules as a form body.
ParsedForm parse_query_string(std::string_view query, const FormLimits& limits = {});

// The query component of a request target or URL: what lies between the first '?' and the
// fragment '#'; empty when there is none.
std::string_view url_query(std::string_view url);

// Percent-decodes one component, '+' meaning space; nullopt on a malformed escape or
// invalid UTF-8.
std::optional<std::string> form_urldecode_component(std::string_view text);

// Encodes one component: RFC 3986 unreserved characters stay, space becomes '+', every other
// byte becomes %XX (upper-case hex).
std::string form_urlencode_component(std::string_view text);

// name=value pairs joined by '&', each side encoded with form_urlencode_component.
std::string form_urlencode(const std::vector<FormParameter>& parameters);

// RFC 3629: well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace bmcp::oauth
