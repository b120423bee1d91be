#include "http/request_wire.hpp"

#include <algorithm>

namespace bmcp::http {
namespace {

// The next LF-terminated field of `text` from `at`, moving `at` past its LF.
std::optional<std::string_view> next_field(std::string_view text, std::size_t& at) {
  const std::size_t end = text.find('\n', at);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view field = text.substr(at, end - at);
  at = end + 1;
  return field;
}

std::optional<std::size_t> header_count(std::string_view digits) {
  if (digits.empty() || digits.size() > 9) return std::nullopt;
  std::size_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

}  // namespace

std::optional<Request> request_from_wire(std::string_view text) {
  std::size_t at = 0;
  std::optional<std::string_view> method = next_field(text, at);
  std::optional<std::string_view> url = next_field(text, at);
  std::optional<std::string_view> count_text = next_field(text, at);
  if (!method || method->empty() || !url || !count_text) return std::nullopt;
  std::optional<std::size_t> count = header_count(*count_text);
  if (!count) return std::nullopt;
  std::optional<Url> parsed = parse_url(*url);
  if (!parsed) return std::nullopt;
  Request r;
  r.method = std::string(*method);
  r.url = std::string(*url);
  r.parsed_url = std::move(*parsed);
  // Each header takes two line ends: a count larger than that is refused below, unread.
  r.headers.reserve(std::min(*count, (text.size() - at) / 2));
  for (std::size_t i = 0; i < *count; ++i) {
    std::optional<std::string_view> name = next_field(text, at);
    std::optional<std::string_view> value = name ? next_field(text, at) : std::nullopt;
    if (!value || name->empty()) return std::nullopt;
    r.headers.emplace_back(std::string(*name), std::string(*value));
  }
  r.body = std::string(text.substr(at));
  return r;
}

std::string request_to_wire(const Request& request) {
  std::string out =
      request.method + '\n' + request.url + '\n' + std::to_string(request.headers.size()) + '\n';
  for (const auto& [name, value] : request.headers) {
    out += name;
    out += '\n';
    out += value;
    out += '\n';
  }
  out += request.body;
  return out;
}

}  // namespace bmcp::http
