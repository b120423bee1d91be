#include "oauth/client_registration.hpp"

#include "brokers/upstream/rate_limiter.hpp"
#include "base/json_parse.hpp"
#include "crypto/base64.hpp"
#include "crypto/hex.hpp"
#include "oauth/redirect_uri.hpp"
#include "oauth/responses.hpp"
#include "oauth/scopes.hpp"
#include "storage/oauth_clients_table.hpp"

namespace bmcp::oauth {
namespace {

RegistrationCheck refuse(std::string error, std::string description) {
  RegistrationCheck check;
  check.error = std::move(error);
  check.description = std::move(description);
  return check;
}

bool printable_text(std::string_view text, std::size_t max) {
  if (text.size() > max) return false;
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

// Optional URL members (client_uri, logo_uri, …): https, or http to loopback.
bool acceptable_url(std::string_view url) { return validate_redirect_uri(url).ok(); }

constexpr std::int64_t kRegistrationWindowMs = 3600 * 1000;

// The rate-limit bucket of the address the request came from: a hash, so D1 never holds
// the address itself. Cloudflare sets CF-Connecting-IP on every request it forwards.
std::string registration_bucket(const CryptoPort& crypto, const http::Request& request) {
  std::string address(request.header("CF-Connecting-IP").value_or("unknown"));
  return "register:" + crypto::hex_encode(crypto.sha256("registration:" + address)).substr(0, 32);
}

// Clients that expired, and rate windows of past hours: deleted a batch at a time, by the
// registrations that would otherwise fill the tables. A failure here only delays cleanup.
Task<void> forget_expired(Io& io, const upstream::D1RateLimiter& limiter) {
  co_await storage::delete_expired_clients(io, io.now_ms());
  co_await limiter.forget_past_windows(io);
}

}  // namespace

RegistrationCheck check_client_metadata(const Json& requested) {
  if (!requested.is_object())
    return refuse("invalid_client_metadata", "the body must be a JSON object");
  Json out = Json::object();

  const Json* uris = find_member(requested, "redirect_uris");
  if (!uris || !uris->is_array() || uris->empty())
    return refuse("invalid_redirect_uri", "redirect_uris must be a non-empty array of URIs");
  if (uris->size() > kMaxRedirectUris)
    return refuse("invalid_redirect_uri", "at most 10 redirect_uris can be registered");
  Json uri_list = Json::array();
  for (const Json& item : *uris) {
    auto uri = as_string(item);
    if (!uri) return refuse("invalid_redirect_uri", "every redirect_uri must be a string");
    RedirectUriCheck check = validate_redirect_uri(*uri);
    if (!check.ok()) return refuse("invalid_redirect_uri", check.message);
    uri_list.push_back(*uri);
  }
  out["redirect_uris"] = uri_list;

  std::string method = "client_secret_basic";  // RFC 7591 §2 default
  if (const Json* m = find_member(requested, "token_endpoint_auth_method")) {
    auto text = as_string(*m);
    if (!text ||
        (*text != "none" && *text != "client_secret_basic" && *text != "client_secret_post"))
      return refuse(
          "invalid_client_metadata",
          "token_endpoint_auth_method must be none, client_secret_basic or client_secret_post");
    method = *text;
  }
  out["token_endpoint_auth_method"] = method;

  Json grants = Json::array({"authorization_code"});
  if (const Json* g = find_member(requested, "grant_types")) {
    if (!g->is_array() || g->empty())
      return refuse("invalid_client_metadata", "grant_types must be a non-empty array");
    bool code = false, refresh = false;
    for (const Json& item : *g) {
      auto text = as_string(item);
      if (text && *text == "authorization_code") code = true;
      else if (text && *text == "refresh_token") refresh = true;
      else
        return refuse("invalid_client_metadata",
                      "grant_types may only contain authorization_code and refresh_token");
    }
    if (!code)
      return refuse("invalid_client_metadata", "grant_types must include authorization_code");
    grants = Json::array({"authorization_code"});
    if (refresh) grants.push_back("refresh_token");
  }
  out["grant_types"] = grants;

  if (const Json* r = find_member(requested, "response_types")) {
    if (!r->is_array() || r->empty())
      return refuse("invalid_client_metadata", "response_types must be a non-empty array");
    for (const Json& item : *r) {
      auto text = as_string(item);
      if (!text || *text != "code")
        return refuse("invalid_client_metadata", "response_types may only contain code");
    }
  }
  out["response_types"] = Json::array({"code"});

  for (std::string_view name : {"client_name", "software_id", "software_version"}) {
    const Json* v = find_member(requested, name);
    if (!v) continue;
    auto text = as_string(*v);
    if (!text || !printable_text(*text, 200))
      return refuse("invalid_client_metadata",
                    std::string(name) + " must be a string of at most 200 characters");
    if (!text->empty()) out[std::string(name)] = *text;
  }
  for (std::string_view name : {"client_uri", "logo_uri", "tos_uri", "policy_uri"}) {
    const Json* v = find_member(requested, name);
    if (!v) continue;
    auto text = as_string(*v);
    if (!text || !acceptable_url(*text))
      return refuse("invalid_client_metadata", std::string(name) + " must be an https URL");
    out[std::string(name)] = *text;
  }
  if (const Json* v = find_member(requested, "application_type")) {
    auto text = as_string(*v);
    if (!text || (*text != "web" && *text != "native"))
      return refuse("invalid_client_metadata", "application_type must be web or native");
    out["application_type"] = *text;
  }
  if (const Json* v = find_member(requested, "contacts")) {
    if (!v->is_array() || v->size() > 10)
      return refuse("invalid_client_metadata", "contacts must be an array of at most 10 strings");
    Json contacts = Json::array();
    for (const Json& item : *v) {
      auto text = as_string(item);
      if (!text || !printable_text(*text, 320))
        return refuse("invalid_client_metadata", "contacts must be strings");
      contacts.push_back(*text);
    }
    out["contacts"] = contacts;
  }
  if (const Json* v = find_member(requested, "scope")) {
    auto text = as_string(*v);
    if (!text) return refuse("invalid_client_metadata", "scope must be a string");
    ScopeCheck scope = check_requested_scope(*text);
    if (!scope.scope) return refuse("invalid_client_metadata", scope.error_description);
    out["scope"] = *scope.scope;
  }
  RegistrationCheck ok;
  ok.metadata = std::move(out);
  return ok;
}

Task<http::Response> register_client(Io& io, const ServerSettings& settings,
                                     const http::Request& request) {
  if (request.method != "POST") {
    http::Response r =
        oauth_error_response(405, "invalid_request", "use POST to register a client");
    r.set("Allow", "POST");
    co_return r;
  }
  // Counted before anything else is looked at, so a flood costs one D1 upsert per request.
  const upstream::D1RateLimiter limiter(settings.registrations_per_hour, kRegistrationWindowMs,
                                        "registration_rate_windows");
  upstream::RateDecision decision =
      co_await limiter.acquire(io, registration_bucket(io.crypto(), request));
  if (decision.unavailable)
    co_return oauth_error_response(503, "temporarily_unavailable",
                                   "the client could not be registered; try again");
  if (!decision.allowed) {
    http::Response r =
        oauth_error_response(429, "temporarily_unavailable",
                             "too many registrations from this address; try again later");
    r.set("Retry-After", std::to_string((decision.retry_after_ms + 999) / 1000));
    co_return r;
  }
  auto content_type = request.header("Content-Type");
  if (!content_type || std::string(*content_type).find("application/json") == std::string::npos)
    co_return oauth_error_response(400, "invalid_client_metadata",
                                   "Content-Type must be application/json");
  if (request.body.size() > kMaxRegistrationBodyBytes)
    co_return oauth_error_response(400, "invalid_client_metadata",
                                   "the registration request is too large");
  JsonParse parsed = parse_json_checked(request.body);
  if (!parsed.value)
    co_return oauth_error_response(400, "invalid_client_metadata",
                                   parsed.failure == JsonFailure::kTooDeep
                                       ? "the body is " + json_failure_text(parsed.failure)
                                       : std::string("the body is not valid JSON"));
  const std::optional<Json>& body = parsed.value;
  RegistrationCheck check = check_client_metadata(*body);
  if (!check.ok()) co_return oauth_error_response(400, check.error, check.description);

  const CryptoPort& crypto = io.crypto();
  storage::ClientRecord record;
  record.client_id = crypto::base64url_encode(crypto.random_bytes(16));
  record.created_at = io.now_ms();
  record.metadata = check.metadata;
  std::string secret;
  if (record.auth_method() != "none") {
    secret = crypto::base64url_encode(crypto.random_bytes(32));
    record.secret_hash = crypto::hex_encode(crypto.sha256(secret));
  }
  co_await forget_expired(io, limiter);
  storage::Write stored =
      co_await storage::insert_client(io, record, settings.max_registered_clients);
  if (!stored.storage_ok)
    co_return oauth_error_response(503, "temporarily_unavailable",
                                   "the client could not be registered; try again");
  if (!stored.applied) {
    http::Response r = oauth_error_response(
        503, "temporarily_unavailable",
        "this server holds as many registered clients as it can; try again later");
    r.set("Retry-After", "3600");
    co_return r;
  }

  Json answer = check.metadata;
  answer["client_id"] = record.client_id;
  answer["client_id_issued_at"] = record.created_at / 1000;
  if (!secret.empty()) {
    answer["client_secret"] = secret;
    answer["client_secret_expires_at"] = 0;  // RFC 7591 §3.2.1: does not expire
  }
  co_return no_store_json(201, answer);
}

}  // namespace bmcp::oauth
