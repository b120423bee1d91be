#include "http/http_message.hpp"

#include <algorithm>
#include <cctype>

namespace bmcp::http {

std::string trim_ows(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return std::string(value);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return std::string_view(v);
  return std::nullopt;
}

std::optional<Url> parse_url(std::string_view text) {
  auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  Url u;
  u.scheme = std::string(text.substr(0, scheme_end));
  std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (u.scheme != "http" && u.scheme != "https") return std::nullopt;
  std::string_view rest = text.substr(scheme_end + 3);
  auto frag = rest.find('#');
  if (frag != std::string_view::npos) rest = rest.substr(0, frag);
  auto path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  u.host = std::string(authority);
  std::transform(u.host.begin(), u.host.end(), u.host.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  std::string_view tail = path_start == std::string_view::npos ? "" : rest.substr(path_start);
  auto q = tail.find('?');
  u.path = std::string(tail.substr(0, q));
  if (u.path.empty()) u.path = "/";
  if (q != std::string_view::npos) u.query = std::string(tail.substr(q + 1));
  return u;
}

std::optional<Request> request_from_json(const Json& j) {
  Request r;
  auto method = get_string(j, "method");
  auto url = get_string(j, "url");
  if (!method || !url) return std::nullopt;
  auto parsed = parse_url(*url);
  if (!parsed) return std::nullopt;
  r.method = std::move(*method);
  r.url = std::move(*url);
  r.parsed_url = std::move(*parsed);
  if (const Json* hs = find_member(j, "headers"); hs && hs->is_array()) {
    for (const Json& pair : *hs) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
        return std::nullopt;
      r.headers.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
  }
  r.body = get_string(j, "body").value_or("");
  return r;
}

Json request_to_json(const Request& r) {
  Json headers = Json::array();
  for (const auto& [k, v] : r.headers) headers.push_back(Json::array({k, v}));
  return {{"method", r.method}, {"url", r.url}, {"headers", headers}, {"body", r.body}};
}

Response& Response::set(std::string name, std::string value) {
  for (auto& [k, v] : headers)
    if (iequals(k, name)) {
      v = std::move(value);
      return *this;
    }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Json Response::to_json() const {
  Json hs = Json::array();
  for (const auto& [k, v] : headers) hs.push_back(Json::array({k, v}));
  return {{"status", status}, {"headers", hs}, {"body", body}};
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.set("Content-Type", std::move(content_type));
  return r;
}

Response Response::json(int status, const Json& body) {
  return text(status, dump_json(body), "application/json");
}

Response Response::empty(int status) {
  Response r;
  r.status = status;
  return r;
}

}  // namespace bmcp::http
