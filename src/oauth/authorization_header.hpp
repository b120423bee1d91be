// Parsers for the two Authorization header schemes OAuth uses:
//   Basic  (RFC 7617) carrying client credentials at the token endpoint, whose id and secret
//          are first form-urlencoded (RFC 6749 §2.3.1);
//   Bearer (RFC 6750 §2.1) carrying our access tokens on every MCP request.
//
// Guarantees: the scheme name is matched case-insensitively (RFC 9110 §11.1); anything that
// does not have exactly the grammar below yields nullopt, never a partial result.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bmcp::oauth {

struct ClientCredentials {
  std::string client_id;
  std::string client_secret;
};

// "Basic" 1*SP base64(form-urlencoded id ":" form-urlencoded secret).
// nullopt on another scheme, bad base64, no ':', an empty client id, or a bad escape.
std::optional<ClientCredentials> parse_basic_auth(std::string_view header_value);

// "Bearer" 1*SP b64token, where b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" /
// "/" ) *"=". Exactly one token: trailing text, a second token or a comma is refused.
std::optional<std::string> parse_bearer(std::string_view header_value);

}  // namespace bmcp::oauth
