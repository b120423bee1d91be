#include "oauth/authorize_endpoint.hpp"

#include "oauth/client_directory.hpp"
#include "oauth/client_metadata_document.hpp"

#include "crypto/base64.hpp"
#include "crypto/sealed_box.hpp"
#include "oauth/approval_cookie.hpp"
#include "oauth/consent_page.hpp"
#include "oauth/consent_ticket.hpp"
#include "oauth/cookie.hpp"
#include "oauth/form_encoding.hpp"
#include "oauth/pkce.hpp"
#include "oauth/redirect_uri.hpp"
#include "oauth/responses.hpp"
#include "oauth/scopes.hpp"
#include "storage/oauth_clients_table.hpp"

namespace bmcp::oauth {
namespace {

struct RequestCheck {
  std::optional<http::Response> error;
  PendingAuthorization request;
  storage::ClientRecord client;
  bool offer_trade = false;  // the person may allow trading (see ConsentTicket)
};

RequestCheck page_error(int status, std::string_view heading, std::string_view message) {
  RequestCheck check;
  check.error = error_page(status, heading, message);
  return check;
}

RequestCheck error_redirect(const ServerIdentity& identity, const std::string& redirect_uri,
                            std::string_view state, std::string_view error,
                            std::string_view description) {
  RequestCheck check;
  std::string_view echoed = state.size() <= kMaxClientStateLength ? state : std::string_view();
  check.error = redirect_response(build_authorization_error_redirect(
      redirect_uri, error, description, echoed, identity.issuer));
  return check;
}

std::string redirect_host(const std::string& uri) {
  auto url = http::parse_url(uri);
  return url ? url->host : uri;
}

// Has this person, in this browser, approved this client before (with any broker)?
bool approved_in_this_browser(const ServerSettings& settings, const ApprovedClients& approved,
                              std::string_view client_id, std::int64_t now) {
  for (const BrokerChoice& b : settings.brokers)
    if (approved.contains(approval_key(b.name, client_id), now)) return true;
  return false;
}

Task<RequestCheck> check_request(Io& io, const ServerSettings& settings,
                                 const ServerIdentity& identity, const ParsedForm& query,
                                 const ApprovedClients& approved, std::int64_t now) {
  constexpr std::string_view kBadRequest = "This sign-in request cannot be used";
  static constexpr std::string_view kSingle[] = {"client_id", "redirect_uri"};
  for (std::string_view name : kSingle)
    if (query.is_repeated(name))
      co_return page_error(400, kBadRequest,
                           "The request gives " + std::string(name) + " more than once.");
  auto client_id = query.oauth_parameter("client_id");
  if (!client_id)
    co_return page_error(400, kBadRequest,
                         "The request does not say which app is asking (client_id is missing).");
  if (client_id->size() > 256 || !is_valid_utf8(*client_id))
    co_return page_error(400, kBadRequest, "This app is not registered with this server.");
  std::string id(*client_id);
  ClientLookup found = co_await find_client(io, settings, id);
  if (found.status == ClientLookup::Status::kUnavailable)
    co_return page_error(503, "Temporarily unavailable",
                         "The server could not look up the app. Try again in a moment.");
  if (found.status == ClientLookup::Status::kUnusable)
    co_return page_error(
        400, kBadRequest,
        "This app describes itself in a way this server cannot accept: " + found.problem + ".");
  if (found.status == ClientLookup::Status::kUnknown)
    co_return page_error(400, kBadRequest,
                         "This app is not registered with this server. Remove the server from the "
                         "app and add it again.");
  RequestCheck check;
  check.client = std::move(found.client);

  auto redirect_uri = query.oauth_parameter("redirect_uri");
  if (!redirect_uri)
    co_return page_error(
        400, kBadRequest,
        "The request does not say where to send the answer (redirect_uri is missing).");
  if (!redirect_uri_matches_any(check.client.redirect_uris(), *redirect_uri))
    co_return page_error(
        400, kBadRequest,
        "The address this request would send you back to is not registered for this app.");
  std::string redirect(*redirect_uri);

  // The redirect URI is registered for this client (RFC 6749 §4.1.2.1: only now may an
  // error be redirected at all). It is trusted for this person only once they approved the
  // client; before that, an error redirect would send the browser wherever the client's
  // registrant wants, with nothing shown first (RFC 9700 §4.11.2), so it is shown here.
  const bool trusted = approved_in_this_browser(settings, approved, id, now);
  const std::string where = redirect_host(redirect);
  auto refuse = [&](std::string_view st, std::string_view error, std::string_view description) {
    if (trusted) return error_redirect(identity, redirect, st, error, description);
    return page_error(400, kBadRequest,
                      "The app's request cannot be used (" + std::string(error) + ": " +
                          std::string(description) + "). Nothing was sent to " + where +
                          ". Go back to the app and connect again.");
  };
  std::string state(query.oauth_parameter("state").value_or(""));
  auto repeated = query.repeated_names();
  if (!repeated.empty())
    co_return refuse(state, "invalid_request", "parameter " + repeated.front() + " is repeated");
  auto response_type = query.oauth_parameter("response_type");
  if (!response_type || *response_type != "code")
    co_return refuse(state, "unsupported_response_type", "response_type must be code");
  if (!check.client.allows_grant("authorization_code"))
    co_return refuse(state, "unauthorized_client",
                     "this client may not use the authorization code grant");
  if (state.size() > kMaxClientStateLength)
    co_return refuse("", "invalid_request", "state is too long");
  auto challenge = query.oauth_parameter("code_challenge");
  if (!challenge)
    co_return refuse(state, "invalid_request", "code_challenge is required (PKCE with S256)");
  auto method = query.oauth_parameter("code_challenge_method");
  if (!method || *method != "S256")
    co_return refuse(state, "invalid_request", "code_challenge_method must be S256");
  if (!is_valid_s256_code_challenge(*challenge))
    co_return refuse(state, "invalid_request", "code_challenge is not a valid S256 challenge");

  ScopeCheck scope = check_requested_scope(query.oauth_parameter("scope").value_or(""));
  if (!scope.scope) co_return refuse(state, "invalid_scope", scope.error_description);
  std::string granted = *scope.scope;
  check.offer_trade = settings.trading_enabled;
  if (auto registered = get_string(check.client.metadata, "scope")) {
    if (!query.oauth_parameter("scope")) granted = *registered;
    else if (!scope_within(granted, *registered))
      co_return refuse(state, "invalid_scope", "scope exceeds what this client registered");
    check.offer_trade = check.offer_trade && scope_within(kScopeTrade, *registered);
  }
  auto resource = match_resource(identity, query.oauth_parameter("resource").value_or(""));
  if (!resource)
    co_return refuse(state, "invalid_target",
                     "resource must be this MCP server (" + identity.mcp_resource + ")");
  if (settings.brokers.empty())
    co_return page_error(503, "No broker is set up",
                         "This server has no broker configured, so nobody can sign in yet.");

  check.request.client_id = std::move(id);
  check.request.redirect_uri = std::move(redirect);
  check.request.state = std::move(state);
  check.request.code_challenge = std::string(*challenge);
  check.request.scope = std::move(granted);
  check.request.resource = std::move(*resource);
  co_return check;
}

std::optional<std::string> consent_cookie(std::string_view value, std::int64_t max_age) {
  SetCookieOptions options;
  options.path = "/authorize";
  options.max_age_seconds = max_age;
  return build_set_cookie(kConsentCookieName, value, options);
}

}  // namespace

std::string approval_key(std::string_view broker, std::string_view client_id) {
  return std::string(broker) + ":" + std::string(client_id);
}

Task<AuthorizeOutcome> authorize_get(Io& io, const ServerSettings& settings,
                                     const http::Request& request) {
  AuthorizeOutcome out;
  if (request.method != "GET" && request.method != "HEAD") {
    http::Response r = error_page(405, "Method not allowed", "Use GET or POST for /authorize.");
    r.set("Allow", "GET, POST");
    out.response = std::move(r);
    co_return out;
  }
  ServerIdentity identity = server_identity(settings, request);
  ParsedForm query = parse_query_string(request.parsed_url.query);
  if (!query.ok()) {
    out.response = error_page(400, "This sign-in request cannot be used",
                              "The request's parameters are malformed.");
    co_return out;
  }
  const CryptoPort& crypto = io.crypto();
  const std::int64_t now = io.now_ms() / 1000;
  std::string cookies = request_cookies(request);
  ApprovedClients approved;
  if (auto value = find_cookie(cookies, kApprovalCookieName))
    approved = read_approval_cookie(crypto, settings.cookie_key, *value, now);
  RequestCheck check = co_await check_request(io, settings, identity, query, approved, now);
  if (check.error) {
    out.response = std::move(check.error);
    co_return out;
  }

  // Already approved in this browser: continue with the broker chosen most recently.
  {
    const ClientApproval* best = nullptr;
    std::string best_broker;
    for (const ClientApproval& a : approved.approvals) {
      for (const BrokerChoice& b : settings.brokers) {
        if (a.client_id == approval_key(b.name, check.request.client_id) && now < a.expires_at &&
            (!best || a.expires_at > best->expires_at)) {
          best = &a;
          best_broker = b.name;
        }
      }
    }
    // The grant is what the person chose then, what the client asks for now, and what the
    // server allows: never more than any of them. Nothing in common: ask again.
    std::string scope = best ? scope_intersection(check.request.scope, best->scope) : std::string();
    scope = scope_intersection(scope, chosen_scope(check.offer_trade));
    if (best && !scope.empty()) {
      out.approved = true;
      out.request = std::move(check.request);
      out.request.scope = std::move(scope);
      out.broker = best_broker;
      co_return out;
    }
  }

  ConsentTicket ticket;
  ticket.request = check.request;
  ticket.offer_trade = check.offer_trade;
  ticket.csrf_nonce = crypto::base64url_encode(crypto.random_bytes(32));
  ticket.expires_at = now + kConsentLifetimeSeconds;
  std::string iv = crypto.random_bytes(crypto::kSealedBoxIvBytes);
  auto sealed = seal_consent_ticket(crypto, settings.cookie_key, ticket, iv);
  if (!sealed) {
    out.response =
        error_page(500, "Something went wrong", "The consent page could not be prepared.");
    co_return out;
  }
  ConsentPageModel model;
  model.client_name = check.client.client_name();
  // A metadata-document client names itself; the host it is served from is what vouches
  // for it, so the person sees both.
  if (is_client_metadata_url(check.request.client_id)) {
    const std::string host = client_metadata_host(check.request.client_id);
    model.client_name = model.client_name.empty() ? host : model.client_name + " (" + host + ")";
  }
  model.client_id = check.request.client_id;
  model.redirect_host = redirect_host(check.request.redirect_uri);
  model.scope = check.request.scope;
  model.brokers = settings.brokers;
  model.sandbox_brokerage = settings.sandbox_brokerage;
  model.trading_enabled = settings.trading_enabled;
  model.offer_trade = check.offer_trade;
  model.ticket = *sealed;
  model.csrf_token = ticket.csrf_nonce;
  http::Response page = html_page(200, consent_page_title(model), render_consent_body(model));
  add_set_cookie(page, consent_cookie(ticket.csrf_nonce, kConsentLifetimeSeconds));
  out.response = std::move(page);
  co_return out;
}

Task<AuthorizeOutcome> authorize_post(Io& io, const ServerSettings& settings,
                                      const http::Request& request) {
  AuthorizeOutcome out;
  constexpr std::string_view kExpired = "This approval page has expired";
  auto content_type = request.header("Content-Type");
  if (!content_type ||
      std::string(*content_type).find("application/x-www-form-urlencoded") == std::string::npos) {
    out.response =
        error_page(415, "This approval cannot be used", "The form was not sent as a web form.");
    co_return out;
  }
  ParsedForm form = parse_form_urlencoded(request.body);
  if (!form.ok() || !form.repeated_names().empty()) {
    out.response =
        error_page(400, "This approval cannot be used", "The form's fields are malformed.");
    co_return out;
  }
  const CryptoPort& crypto = io.crypto();
  const std::int64_t now = io.now_ms() / 1000;
  auto ticket = open_consent_ticket(crypto, settings.cookie_key,
                                    form.oauth_parameter("ticket").value_or(""), now);
  if (!ticket) {
    out.response = error_page(
        400, std::string(kExpired),
        "The page was open too long or was changed. Go back to your app and connect again.");
    co_return out;
  }
  std::string cookies = request_cookies(request);
  std::string cookie_nonce = find_cookie(cookies, kConsentCookieName).value_or("");
  std::string form_nonce(form.oauth_parameter("csrf_token").value_or(""));
  if (cookie_nonce.empty() || form_nonce.empty() ||
      !crypto.constant_time_equal(form_nonce, ticket->csrf_nonce) ||
      !crypto.constant_time_equal(cookie_nonce, ticket->csrf_nonce)) {
    out.response =
        error_page(403, "This approval could not be verified",
                   "It did not come from the approval page shown in this browser. Go back to your "
                   "app and connect again.");
    co_return out;
  }
  const ServerIdentity identity = server_identity(settings, request);
  std::string action(form.oauth_parameter("action").value_or(""));
  auto clear_consent = build_clearing_set_cookie(kConsentCookieName, [] {
    SetCookieOptions o;
    o.path = "/authorize";
    return o;
  }());
  if (action == "deny") {
    http::Response r = redirect_response(build_authorization_error_redirect(
        ticket->request.redirect_uri, "access_denied", "the person denied access",
        ticket->request.state, identity.issuer));
    add_set_cookie(r, clear_consent);
    out.response = std::move(r);
    co_return out;
  }
  if (action != "approve") {
    out.response = error_page(400, "This approval cannot be used", "Choose Approve or Deny.");
    co_return out;
  }
  std::string broker(form.oauth_parameter("broker").value_or(""));
  if (!settings.find_broker(broker)) {
    out.response =
        error_page(400, "Choose a broker", "Pick the broker to sign in with, then approve again.");
    co_return out;
  }

  ApprovedClients approvals;
  if (auto value = find_cookie(cookies, kApprovalCookieName))
    approvals = read_approval_cookie(crypto, settings.cookie_key, *value, now);
  // One remembered broker per client: the latest choice replaces the other.
  for (const BrokerChoice& b : settings.brokers) {
    std::string key = approval_key(b.name, ticket->request.client_id);
    std::erase_if(approvals.approvals, [&](const ClientApproval& a) { return a.client_id == key; });
  }
  // The grant is what the person chose: read-only unless they ticked "allow trading" (and
  // the page offered it). RFC 6749 §3.3 lets the server grant other than asked; the token
  // response names the scope granted.
  const bool allow_trading =
      ticket->offer_trade && form.oauth_parameter("trade").value_or("") == "yes";
  ticket->request.scope = chosen_scope(allow_trading);
  approvals.add(approval_key(broker, ticket->request.client_id), now, kApprovalLifetimeSeconds,
                ticket->request.scope);
  std::string iv = crypto.random_bytes(crypto::kSealedBoxIvBytes);
  if (auto sealed = seal_approval_cookie(crypto, settings.cookie_key, approvals, now, iv)) {
    SetCookieOptions options;
    options.max_age_seconds = approvals.max_age(now);
    if (auto header = build_set_cookie(kApprovalCookieName, *sealed, options))
      out.set_cookies.push_back(*header);
  }
  if (clear_consent) out.set_cookies.push_back(*clear_consent);
  out.approved = true;
  out.request = std::move(ticket->request);
  out.broker = std::move(broker);
  co_return out;
}

}  // namespace bmcp::oauth
