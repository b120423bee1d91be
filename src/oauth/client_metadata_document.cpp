#include "oauth/client_metadata_document.hpp"

#include "oauth/client_registration.hpp"

#include <cctype>

namespace bmcp::oauth {
namespace {

struct UrlParts {
  std::string scheme;
  std::string authority;  // host[:port]
  std::string host;       // without the port
  std::string path;       // from the first '/', query included
};

std::optional<UrlParts> split(std::string_view url) {
  UrlParts p;
  const auto colon = url.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  p.scheme = std::string(url.substr(0, colon));
  std::string_view rest = url.substr(colon + 3);
  const auto slash = rest.find('/');
  p.authority = std::string(rest.substr(0, slash));
  p.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  p.host = p.authority;
  if (!p.host.empty() && p.host.front() == '[') {
    const auto close = p.host.find(']');
    p.host = close == std::string::npos ? p.host : p.host.substr(0, close + 1);
  } else if (const auto port = p.host.rfind(':'); port != std::string::npos) {
    p.host = p.host.substr(0, port);
  }
  return p;
}

bool is_loopback_host(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

bool is_ipv4_literal(std::string_view host) {
  if (host.empty()) return false;
  for (char c : host)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.')) return false;
  return true;
}

bool has_dot_segment(std::string_view path) {
  const auto end = path.find_first_of("?#");
  std::string_view p = path.substr(0, end);
  std::size_t start = 0;
  while (start <= p.size()) {
    auto next = p.find('/', start);
    std::string_view segment =
        p.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start);
    if (segment == "." || segment == "..") return true;
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  return false;
}

}  // namespace

bool is_client_metadata_url(std::string_view client_id) {
  return client_id.rfind("https://", 0) == 0 || client_id.rfind("http://", 0) == 0;
}

std::optional<std::string> client_metadata_url_problem(std::string_view url,
                                                       bool allow_loopback_http) {
  auto parts = split(url);
  if (!parts || parts->host.empty()) return "the client_id is not an absolute URL with a host";
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return "the client_id URL contains spaces or control characters";
  if (url.find('#') != std::string_view::npos) return "the client_id URL must not have a fragment";
  if (parts->authority.find('@') != std::string::npos)
    return "the client_id URL must not carry a user name";
  if (parts->path.empty() || parts->path == "/" || parts->path[0] == '?')
    return "the client_id URL must have a path (e.g. https://app.example.com/oauth/client.json)";
  if (has_dot_segment(parts->path)) return "the client_id URL must not contain . or .. segments";
  const bool loopback = is_loopback_host(parts->host);
  if (parts->scheme == "http") {
    if (allow_loopback_http && loopback) return std::nullopt;
    return "the client_id URL must use https";
  }
  if (parts->scheme != "https") return "the client_id URL must use https";
  if (loopback && !allow_loopback_http) return "the client_id URL must not point at this machine";
  if (!loopback && (is_ipv4_literal(parts->host) || parts->host.front() == '['))
    return "the client_id URL must name a host, not an IP address";
  return std::nullopt;
}

ClientDocumentCheck client_from_metadata_document(std::string_view url, std::string_view body) {
  ClientDocumentCheck out;
  if (body.size() > kMaxClientMetadataDocumentBytes) {
    out.problem = "the client metadata document is larger than 5 KB";
    return out;
  }
  auto doc = parse_json(body);
  if (!doc || !doc->is_object()) {
    out.problem = "the client metadata document is not a JSON object";
    return out;
  }
  if (get_string(*doc, "client_id").value_or("") != url) {
    out.problem = "the client metadata document's client_id is not its own URL";
    return out;
  }
  if (find_member(*doc, "client_secret") || find_member(*doc, "client_secret_expires_at")) {
    out.problem = "a client metadata document must not carry a client secret";
    return out;
  }
  Json requested = *doc;
  if (!find_member(requested, "token_endpoint_auth_method"))
    requested["token_endpoint_auth_method"] = "none";
  if (get_string(requested, "token_endpoint_auth_method").value_or("") != "none") {
    out.problem =
        "this server accepts metadata-document clients without client authentication only "
        "(token_endpoint_auth_method none)";
    return out;
  }
  RegistrationCheck check = check_client_metadata(requested);
  if (!check.ok()) {
    out.problem = "the client metadata document is not usable: " + check.description;
    return out;
  }
  storage::ClientRecord client;
  client.client_id = std::string(url);
  client.metadata = std::move(check.metadata);
  out.client = std::move(client);
  return out;
}

std::string client_metadata_host(std::string_view url) {
  auto parts = split(url);
  return parts ? parts->authority : std::string();
}

}  // namespace bmcp::oauth
