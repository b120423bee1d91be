// HTTP requests and responses as the core sees them: plain values decoded from and
// encoded to the wire envelope (bindings/ABI.md). Header names are compared
// case-insensitively (RFC 9110 §5.1); bodies are text (UTF-8), which is all the
// server's protocols carry (JSON, form bodies, HTML, SSE).
#pragma once

#include "base/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bmcp::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

bool iequals(std::string_view a, std::string_view b);
// A field value without the optional whitespace around it (RFC 9110 §5.5: OWS is not part
// of the value).
std::string trim_ows(std::string_view value);
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

struct Url {
  std::string scheme;  // "https"
  std::string host;    // "example.com:8787" (authority, lowercased)
  std::string path;    // "/mcp" (still percent-encoded)
  std::string query;   // without '?'
  std::string origin() const { return scheme + "://" + host; }
};
// Parses an absolute http(s) URL; nullopt for anything else.
std::optional<Url> parse_url(std::string_view text);

struct Request {
  std::string method;
  std::string url;
  Url parsed_url;
  Headers headers;
  std::string body;

  std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

// nullopt when the JSON does not describe a request with an absolute http(s) URL.
std::optional<Request> request_from_json(const Json& j);
Json request_to_json(const Request& r);

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  Response& set(std::string name, std::string value);
  Json to_json() const;
  static Response text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response json(int status, const Json& body);
  static Response empty(int status);
};

}  // namespace bmcp::http
