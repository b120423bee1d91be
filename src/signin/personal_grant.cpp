#include "signin/personal_grant.hpp"

#include "oauth/cookie.hpp"
#include "oauth/form_encoding.hpp"
#include "oauth/responses.hpp"
#include "signin/broker_login.hpp"
#include "signin/broker_oauth.hpp"
#include "signin/broker_sign_in.hpp"

namespace bmcp::signin {
namespace {

constexpr std::string_view kHeading = "Sign in with your tastytrade personal grant";
constexpr std::size_t kMaxTokenLength = 4096;

// The form; `problem` (plain words) is shown above it when a try failed.
http::Response grant_form(int status, const BrokerSettings& broker, std::string_view sealed_state,
                          std::string_view problem) {
  using oauth::html_escape;
  std::string h = "<h1>" + html_escape(kHeading) + "</h1>\n";
  if (!problem.empty())
    h += "<p class=\"notice\" id=\"error\" role=\"alert\">" + html_escape(problem) + "</p>\n";
  h += "<p id=\"explain\">Paste the refresh token of your personal grant: in tastytrade, open "
       "Manage, My Profile, "
       "API, OAuth Applications, choose this server's application (client id <code>" +
       html_escape(broker.client_id) +
       "</code>) and create a grant; tastytrade shows its refresh token once.</p>\n";
  h += "<form method=\"post\" action=\"" + std::string(kPersonalGrantPath) +
       "\" id=\"grant-form\">\n";
  h += "<input type=\"hidden\" name=\"state\" value=\"" + html_escape(sealed_state) + "\">\n";
  h += "<label for=\"refresh-token\">Refresh token</label>\n"
       "<input type=\"password\" name=\"refresh_token\" id=\"refresh-token\" autocomplete=\"off\" "
       "required "
       "maxlength=\"" +
       std::to_string(kMaxTokenLength) + "\">\n";
  h += "<div class=\"actions\"><button type=\"submit\" id=\"sign-in\" class=\"primary\">Sign "
       "in</button></div>\n"
       "</form>\n";
  h += "<p class=\"muted\">The token is checked with tastytrade, stored encrypted, and never shown "
       "again. "
       "Deleting the grant in tastytrade signs this server out.</p>";
  return oauth::html_page(status, kHeading, h);
}

// Pasted tokens often carry spaces or a line break at either end.
std::string trim_ascii(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

bool printable_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      return false;
  return true;
}

}  // namespace

http::Response personal_grant_page(const CryptoPort& crypto, const oauth::ServerSettings& server,
                                   const BrokerSettings& broker,
                                   const oauth::PendingAuthorization& request,
                                   std::int64_t now_seconds,
                                   const std::vector<std::string>& extra_set_cookies) {
  std::optional<LoginStart> login = start_login(crypto, server, broker, request, now_seconds);
  if (!login)
    return oauth::error_page(500, "Something went wrong", "The sign-in could not be prepared.");
  http::Response page = grant_form(200, broker, login->sealed_state, "");
  page.headers.emplace_back("Set-Cookie", login->set_cookie);
  for (const std::string& c : extra_set_cookies) page.headers.emplace_back("Set-Cookie", c);
  return page;
}

Task<http::Response> personal_grant_submit(Io& io, const oauth::ServerSettings& server,
                                           const SigninSettings& signin,
                                           const http::Request& request,
                                           const logging::Logger& log) {
  constexpr std::string_view kFailed = "Sign-in did not complete";
  const BrokerSettings* broker = signin.enabled_broker("tastytrade");
  if (!broker || !signin.tastytrade_personal_grant)
    co_return oauth::error_page(404, "Not found",
                                "This server does not sign in with tastytrade personal grants.");
  if (request.method != "POST") {
    http::Response r = oauth::error_page(405, "Method not allowed", "This form is sent with POST.");
    r.set("Allow", "POST");
    co_return r;
  }
  auto content_type = request.header("Content-Type");
  if (!content_type ||
      std::string(*content_type).find("application/x-www-form-urlencoded") == std::string::npos)
    co_return oauth::error_page(415, kFailed, "The form was not sent as a web form.");
  oauth::ParsedForm form = oauth::parse_form_urlencoded(request.body);
  if (!form.ok() || !form.repeated_names().empty())
    co_return oauth::error_page(400, kFailed, "The form's fields are malformed.");
  const std::string sealed_state(form.oauth_parameter("state").value_or(""));
  oauth::OpenedOAuthState opened =
      oauth::open_oauth_state(io.crypto(), server.cookie_key, sealed_state, io.now_ms() / 1000);
  if (!opened.ok()) {
    const bool expired = opened.error == oauth::OAuthStateError::Expired;
    log.log(logging::LogLevel::kWarn, "sign-in state check",
            {{"path", kPersonalGrantPath},
             {"outcome", "refused"},
             {"reason", expired ? "expired" : "not valid"}});
    co_return oauth::error_page(400, kFailed,
                                expired
                                    ? "The sign-in took too long. Start again from your app."
                                    : "This sign-in form is not valid. Start again from your app.");
  }
  const oauth::BrokerLoginState& state = opened.state;
  const std::string cookie_name = login_cookie_name(state.csrf_nonce);
  const std::string cookie =
      oauth::find_cookie(oauth::request_cookies(request), cookie_name).value_or("");
  if (state.broker != broker->name || cookie.empty() ||
      !io.crypto().constant_time_equal(cookie, state.csrf_nonce)) {
    log.log(logging::LogLevel::kWarn, "sign-in state check",
            {{"path", kPersonalGrantPath},
             {"outcome", "refused"},
             {"reason", "not this browser or not tastytrade"}});
    co_return oauth::error_page(
        403, kFailed, "This sign-in did not start in this browser. Start again from your app.");
  }
  log.log(logging::LogLevel::kInfo, "sign-in state check",
          {{"path", kPersonalGrantPath}, {"client", state.request.client_id}, {"outcome", "ok"}});

  const std::string token = trim_ascii(form.oauth_parameter("refresh_token").value_or(""));
  if (token.empty())
    co_return grant_form(400, *broker, sealed_state, "Paste your refresh token, then sign in.");
  if (token.size() > kMaxTokenLength || !printable_ascii(token))
    co_return grant_form(400, *broker, sealed_state,
                         "That is not a tastytrade refresh token. Copy it again from tastytrade.");

  // The live check: tastytrade answers a refresh only for a grant of this client id and secret.
  BrokerTokenResponse tokens = co_await refresh_broker_tokens(io, signin, *broker, token);
  const char* outcome = tokens.ok()                                               ? "accepted"
                        : tokens.outcome == BrokerTokenResponse::Outcome::Refused ? "refused"
                                                                                  : "unavailable";
  log.log(tokens.ok() ? logging::LogLevel::kInfo : logging::LogLevel::kWarn,
          "sign-in personal grant",
          {{"broker", broker->name},
           {"outcome", outcome},
           {"reason", tokens.ok() ? "" : tokens.detail}});
  if (tokens.outcome == BrokerTokenResponse::Outcome::Refused)
    co_return grant_form(
        400, *broker, sealed_state,
        "tastytrade did not accept this refresh token: it is mistyped, its grant was deleted, or "
        "it "
        "belongs to another OAuth application than this server's. Create a new grant and paste its "
        "refresh token.");
  if (!tokens.ok())
    co_return grant_form(
        502, *broker, sealed_state,
        "tastytrade did not answer when this server checked the token. Try again in a moment.");
  // Personal-grant refresh tokens are not rotated: keep the one the person gave.
  if (tokens.refresh_token.empty()) tokens.refresh_token = token;

  const oauth::ServerIdentity identity = oauth::server_identity(server, request);
  SignedIn person = co_await admit_broker_user(io, signin, *broker, tokens, log);
  http::Response answer;
  if (person.error == kNotAdmitted) answer = not_admitted_page(*broker, person.description);
  else if (!person.ok())
    answer = client_error_redirect(identity, state.request, person.error, person.description);
  else answer = co_await authorize_client(io, identity, state.request, std::move(person), log);
  oauth::add_set_cookie(answer,
                        oauth::build_clearing_set_cookie(cookie_name, oauth::SetCookieOptions{}));
  co_return answer;
}

}  // namespace bmcp::signin
