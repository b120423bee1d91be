#include "oauth/client_authentication.hpp"

#include "oauth/client_directory.hpp"

#include "crypto/hex.hpp"
#include "oauth/authorization_header.hpp"
#include "oauth/responses.hpp"

namespace bmcp::oauth {
namespace {

ClientAuthentication fail(ClientAuthentication::Failure failure, std::string description,
                          bool basic) {
  ClientAuthentication auth;
  auth.failure = failure;
  auth.description = std::move(description);
  auth.tried_basic = basic;
  return auth;
}

}  // namespace

Task<ClientAuthentication> authenticate_client(Io& io, const ServerSettings& settings,
                                               const http::Request& request,
                                               const ParsedForm& form) {
  using F = ClientAuthentication::Failure;
  std::optional<ClientCredentials> basic;
  const bool has_header = request.header("Authorization").has_value();
  if (has_header) {
    basic = parse_basic_auth(*request.header("Authorization"));
    if (!basic)
      co_return fail(F::InvalidClient,
                     "the Authorization header is not valid HTTP Basic client authentication",
                     true);
  }
  auto body_id = form.oauth_parameter("client_id");
  auto body_secret = form.oauth_parameter("client_secret");
  if (basic && body_secret)
    co_return fail(F::InvalidRequest,
                   "use one client authentication method, not both Basic and client_secret", true);
  if (basic && body_id && *body_id != basic->client_id)
    co_return fail(F::InvalidClient, "client_id does not match the authenticated client", true);

  std::string client_id = basic ? basic->client_id : std::string(body_id.value_or(""));
  std::optional<std::string> secret;
  if (basic) secret = basic->client_secret;
  else if (body_secret) secret = std::string(*body_secret);
  if (client_id.empty()) co_return fail(F::InvalidClient, "client_id is required", has_header);
  if (client_id.size() > 256) co_return fail(F::InvalidClient, "unknown client", has_header);

  ClientLookup found = co_await find_client(io, settings, client_id);
  if (found.status == ClientLookup::Status::kUnavailable)
    co_return fail(F::Unavailable, "the client could not be looked up; try again", has_header);
  if (found.status == ClientLookup::Status::kUnusable)
    co_return fail(F::InvalidClient, found.problem, has_header);
  if (found.status == ClientLookup::Status::kUnknown)
    co_return fail(F::InvalidClient, "unknown client; register again", has_header);

  const storage::ClientRecord& client = found.client;
  if (client.secret_hash.empty()) {
    if (secret && !secret->empty())
      co_return fail(F::InvalidClient, "this client was registered without a secret", has_header);
  } else {
    if (!secret || secret->empty())
      co_return fail(F::InvalidClient, "client authentication is required", has_header);
    std::string presented = crypto::hex_encode(io.crypto().sha256(*secret));
    if (!io.crypto().constant_time_equal(presented, client.secret_hash))
      co_return fail(F::InvalidClient, "client authentication failed", has_header);
  }
  ClientAuthentication auth;
  auth.tried_basic = has_header;
  auth.client = client;
  co_return auth;
}

http::Response client_authentication_error(const ClientAuthentication& auth) {
  using F = ClientAuthentication::Failure;
  switch (auth.failure) {
    case F::InvalidRequest: return oauth_error_response(400, "invalid_request", auth.description);
    case F::Unavailable:
      return oauth_error_response(503, "temporarily_unavailable", auth.description);
    case F::InvalidClient:
    case F::None: break;
  }
  http::Response r = oauth_error_response(401, "invalid_client", auth.description);
  if (auth.tried_basic) r.set("WWW-Authenticate", "Basic realm=\"broker-mcp\"");
  return r;
}

}  // namespace bmcp::oauth
