#include "signin/broker_login.hpp"

#include "crypto/base64.hpp"
#include "crypto/sealed_box.hpp"
#include "oauth/cookie.hpp"
#include "oauth/pkce.hpp"
#include "oauth/responses.hpp"
#include "signin/broker_oauth.hpp"

namespace bmcp::signin {

std::string login_cookie_name(std::string_view csrf_nonce) {
  return std::string(kLoginCookiePrefix) + std::string(csrf_nonce.substr(0, 12));
}

std::optional<LoginStart> start_login(const CryptoPort& crypto, const oauth::ServerSettings& server,
                                      const BrokerSettings& broker,
                                      const oauth::PendingAuthorization& request,
                                      std::int64_t now_seconds) {
  oauth::BrokerLoginState state;
  state.request = request;
  state.broker = broker.name;
  state.broker_code_verifier = oauth::generate_code_verifier(crypto);
  state.csrf_nonce = crypto::base64url_encode(crypto.random_bytes(32));
  std::string iv = crypto.random_bytes(crypto::kSealedBoxIvBytes);
  auto sealed = oauth::seal_oauth_state(crypto, server.cookie_key, state, now_seconds, iv);
  if (!sealed) return std::nullopt;
  oauth::SetCookieOptions options;
  options.max_age_seconds = oauth::kOAuthStateLifetimeSeconds;
  auto cookie =
      oauth::build_set_cookie(login_cookie_name(state.csrf_nonce), state.csrf_nonce, options);
  if (!cookie) return std::nullopt;
  return LoginStart{std::move(*sealed), std::move(*cookie),
                    oauth::s256_code_challenge(crypto, state.broker_code_verifier)};
}

http::Response redirect_to_broker(const CryptoPort& crypto, const oauth::ServerSettings& server,
                                  const oauth::ServerIdentity& identity,
                                  const BrokerSettings& broker,
                                  const oauth::PendingAuthorization& request,
                                  std::int64_t now_seconds,
                                  const std::vector<std::string>& extra_set_cookies) {
  std::optional<LoginStart> login = start_login(crypto, server, broker, request, now_seconds);
  if (!login)
    return oauth::error_page(500, "Something went wrong", "The sign-in could not be prepared.");
  std::string location = broker_authorize_url(broker, broker_redirect_uri(broker, identity.issuer),
                                              login->sealed_state, login->code_challenge);
  http::Response r = oauth::redirect_response(location);
  r.headers.emplace_back("Set-Cookie", login->set_cookie);
  for (const std::string& c : extra_set_cookies) r.headers.emplace_back("Set-Cookie", c);
  return r;
}

}  // namespace bmcp::signin
