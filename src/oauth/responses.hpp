// Response shapes shared by the authorization server's endpoints:
//   - RFC 6749 §5.2 errors as JSON {error, error_description}, never cached;
//   - token-bearing JSON (Cache-Control: no-store, Pragma: no-cache, RFC 6749 §5.1);
//   - 302 redirects;
//   - small self-contained HTML pages (consent, errors) with headers that forbid framing,
//     scripts, external loads and caching.
#pragma once

#include "http/http_message.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace bmcp::oauth {

std::string html_escape(std::string_view text);

http::Response no_store_json(int status, const Json& body);
http::Response oauth_error_response(int status, std::string_view error,
                                    std::string_view description);
http::Response redirect_response(const std::string& location);

// Appends a Set-Cookie header (each cookie is its own header line); nothing when empty.
void add_set_cookie(http::Response& response, const std::optional<std::string>& set_cookie);

http::Response html_page(int status, std::string_view title, std::string_view body_html);
// A page for errors that must not be redirected to the client (RFC 6749 §4.1.2.1): the
// heading and message are plain text (escaped here).
http::Response error_page(int status, std::string_view heading, std::string_view message);

}  // namespace bmcp::oauth
