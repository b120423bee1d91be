#include "oauth/authorization_header.hpp"

#include "crypto/base64.hpp"
#include "oauth/form_encoding.hpp"

namespace bmcp::oauth {
namespace {

bool is_optional_whitespace(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_optional_whitespace(std::string_view text) {
  while (!text.empty() && is_optional_whitespace(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_optional_whitespace(text.back())) text.remove_suffix(1);
  return text;
}

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Splits "<scheme> 1*SP <rest>" when the scheme matches case-insensitively.
std::optional<std::string_view> credentials_after_scheme(std::string_view header_value,
                                                         std::string_view scheme) {
  header_value = trim_optional_whitespace(header_value);
  if (header_value.size() <= scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (lower_ascii(header_value[i]) != lower_ascii(scheme[i])) return std::nullopt;
  std::string_view rest = header_value.substr(scheme.size());
  // RFC 9110 §11.4: credentials = auth-scheme [ 1*SP ( token68 / … ) ]
  if (rest.front() != ' ') return std::nullopt;
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty()) return std::nullopt;
  return rest;
}

bool is_b64token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

}  // namespace

std::optional<ClientCredentials> parse_basic_auth(std::string_view header_value) {
  std::optional<std::string_view> encoded = credentials_after_scheme(header_value, "Basic");
  if (!encoded) return std::nullopt;
  // RFC 7617 §2: user-pass is base64 encoded (RFC 4648 §4, padded).
  std::optional<std::string> user_pass = crypto::base64_decode(*encoded);
  if (!user_pass) return std::nullopt;
  // RFC 7617 §2: the user-id cannot contain ':'; the password may.
  std::size_t colon = user_pass->find(':');
  if (colon == std::string::npos) return std::nullopt;
  // RFC 6749 §2.3.1: both are application/x-www-form-urlencoded before being placed here.
  std::optional<std::string> client_id =
      form_urldecode_component(std::string_view(*user_pass).substr(0, colon));
  std::optional<std::string> client_secret =
      form_urldecode_component(std::string_view(*user_pass).substr(colon + 1));
  if (!client_id || !client_secret || client_id->empty()) return std::nullopt;
  return ClientCredentials{std::move(*client_id), std::move(*client_secret)};
}

std::optional<std::string> parse_bearer(std::string_view header_value) {
  std::optional<std::string_view> token = credentials_after_scheme(header_value, "Bearer");
  if (!token) return std::nullopt;
  // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  std::size_t i = 0;
  while (i < token->size() && is_b64token_char((*token)[i])) ++i;
  if (i == 0) return std::nullopt;
  while (i < token->size() && (*token)[i] == '=') ++i;
  if (i != token->size()) return std::nullopt;
  return std::string(*token);
}

}  // namespace bmcp::oauth
