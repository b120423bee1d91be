#include "signin/broker_oauth.hpp"

#include "brokers/broker.hpp"
#include "crypto/base64.hpp"
#include "effects/host_api.hpp"
#include "oauth/form_encoding.hpp"
#include "oauth/redirect_uri.hpp"

namespace bmcp::signin {
namespace {

bool is_schwab(const BrokerSettings& broker) {
  return brokers::broker_named(broker.name) == brokers::Broker::Schwab;
}

// A broker identity goes into our user ids and D1 keys: printable ASCII only, bounded.
bool plausible_identity(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      return false;
  return true;
}

http::Request token_request(const SigninSettings& settings, const BrokerSettings& broker,
                            std::vector<oauth::FormParameter> parameters) {
  http::Request request;
  request.method = "POST";
  request.url = broker.token_url;
  request.headers.emplace_back("Accept", "application/json");
  request.headers.emplace_back("User-Agent", settings.user_agent);
  if (is_schwab(broker)) {
    // RFC 6749 §2.3.1: HTTP Basic with the form-encoded id and secret; form body.
    std::string credentials = oauth::form_urlencode_component(broker.client_id) + ":" +
                              oauth::form_urlencode_component(broker.client_secret);
    request.headers.emplace_back("Authorization", "Basic " + crypto::base64_encode(credentials));
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.body = oauth::form_urlencode(parameters);
  } else {
    // tastytrade: client_id and client_secret in a JSON body.
    Json body = Json::object();
    for (const auto& p : parameters) body[p.name] = p.value;
    body["client_id"] = broker.client_id;
    body["client_secret"] = broker.client_secret;
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = dump_json(body);
  }
  return request;
}

BrokerTokenResponse classify(const BrokerSettings& broker, const host::FetchResult& fetched) {
  BrokerTokenResponse out;
  if (!fetched.ok) {
    out.detail = broker.display_name + " token endpoint unreachable (" + fetched.error_code + ")";
    return out;
  }
  const int status = fetched.response.status;
  auto body = parse_json(fetched.response.body);
  if (status == 200) {
    auto access = body ? get_string(*body, "access_token") : std::nullopt;
    if (!access || access->empty()) {
      out.detail = broker.display_name + " token endpoint answered 200 without an access token";
      return out;
    }
    out.outcome = BrokerTokenResponse::Outcome::Ok;
    out.access_token = std::move(*access);
    out.refresh_token = get_string(*body, "refresh_token").value_or("");
    out.scope = get_string(*body, "scope").value_or("");
    auto expires_in = get_int(*body, "expires_in");
    std::int64_t fallback = is_schwab(broker) ? kSchwabAccessSeconds : kTastytradeAccessSeconds;
    out.expires_in_seconds =
        expires_in && *expires_in > 0 && *expires_in < 366 * 24 * 3600 ? *expires_in : fallback;
    return out;
  }
  std::string error =
      body ? get_string(*body, "error").value_or(get_string(*body, "error_code").value_or("")) : "";
  std::string description = body ? get_string(*body, "error_description").value_or("") : "";
  out.detail = broker.display_name + " token endpoint answered " + std::to_string(status) +
               (error.empty() ? "" : " " + error);
  const bool refused_code =
      error == "invalid_grant" || error == "unsupported_token_type" || error == "invalid_token" ||
      description.find("refresh_token_authentication_error") != std::string::npos;
  if ((status == 400 || status == 401) && refused_code)
    out.outcome = BrokerTokenResponse::Outcome::Refused;
  return out;
}

}  // namespace

std::string broker_authorize_url(const BrokerSettings& broker, std::string_view redirect_uri,
                                 std::string_view state, std::string_view code_challenge) {
  std::vector<oauth::FormParameter> params = {
      {"response_type", "code"},
      {"client_id", broker.client_id},
      {"redirect_uri", std::string(redirect_uri)},
      {"scope", broker.scope},
      {"state", std::string(state)},
      {"code_challenge", std::string(code_challenge)},
      {"code_challenge_method", "S256"},
  };
  return oauth::append_query_parameters(broker.authorize_url, params);
}

Task<BrokerTokenResponse> exchange_broker_code(Io& io, const SigninSettings& settings,
                                               const BrokerSettings& broker,
                                               const std::string& code,
                                               const std::string& redirect_uri,
                                               const std::string& code_verifier) {
  std::vector<oauth::FormParameter> params = {
      {"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", redirect_uri}};
  if (!code_verifier.empty()) params.push_back({"code_verifier", code_verifier});
  http::Request request = token_request(settings, broker, std::move(params));
  host::FetchResult fetched = co_await host::fetch(io, request);
  co_return classify(broker, fetched);
}

Task<BrokerTokenResponse> refresh_broker_tokens(Io& io, const SigninSettings& settings,
                                                const BrokerSettings& broker,
                                                const std::string& refresh_token) {
  std::vector<oauth::FormParameter> params = {{"grant_type", "refresh_token"},
                                              {"refresh_token", refresh_token}};
  http::Request request = token_request(settings, broker, std::move(params));
  host::FetchResult fetched = co_await host::fetch(io, request);
  co_return classify(broker, fetched);
}

Task<BrokerIdentity> identify_broker_user(Io& io, const SigninSettings& settings,
                                          const BrokerSettings& broker,
                                          const std::string& access_token) {
  http::Request request;
  request.method = "GET";
  request.url =
      broker.api_base + (is_schwab(broker) ? "/trader/v1/userPreference" : "/customers/me");
  request.headers.emplace_back("Authorization", "Bearer " + access_token);
  request.headers.emplace_back("Accept", "application/json");
  request.headers.emplace_back("User-Agent", settings.user_agent);
  host::FetchResult fetched = co_await host::fetch(io, request);
  BrokerIdentity out;
  if (!fetched.ok) {
    out.detail = broker.display_name + " API unreachable (" + fetched.error_code + ")";
    co_return out;
  }
  if (fetched.response.status != 200) {
    out.detail = broker.display_name + " API answered " + std::to_string(fetched.response.status) +
                 " when asked who signed in";
    co_return out;
  }
  auto body = parse_json(fetched.response.body);
  std::optional<std::string> id;
  if (body && is_schwab(broker)) {
    // The customer id is stable; schwabClientCorrelId changes with every login.
    if (const Json* info = find_member(*body, "streamerInfo");
        info && info->is_array() && !info->empty())
      id = get_string((*info)[0], "schwabClientCustomerId");
  } else if (body) {
    if (const Json* data = find_member(*body, "data")) {
      id = get_string(*data, "external-id");
      out.email = get_string(*data, "email").value_or("");
    }
  }
  if (!id || !plausible_identity(*id)) {
    out.detail = broker.display_name + " did not say who signed in";
    out.email.clear();
    co_return out;
  }
  if (out.email.size() > 320) out.email.clear();
  out.ok = true;
  out.external_id = std::move(*id);
  co_return out;
}

}  // namespace bmcp::signin
