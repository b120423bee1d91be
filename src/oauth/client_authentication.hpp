// Who is calling the token and revocation endpoints (RFC 6749 §2.3, RFC 7591 §2):
//   client_secret_basic  Authorization: Basic (form-encoded id:secret)
//   client_secret_post   client_id and client_secret in the form body
//   none                 client_id in the body, no secret (public clients; PKCE binds them)
// A confidential client may use either secret method; a public client must not present a
// secret; two methods at once is invalid_request. Failures are invalid_client (401; with
// `WWW-Authenticate: Basic` when Basic was tried, RFC 6749 §5.2). The secret is compared by
// its SHA-256, in constant time.
#pragma once

#include "oauth/server_settings.hpp"

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "http/http_message.hpp"
#include "oauth/form_encoding.hpp"
#include "storage/oauth_clients_table.hpp"

namespace bmcp::oauth {

struct ClientAuthentication {
  enum class Failure { None, InvalidRequest, InvalidClient, Unavailable };
  Failure failure = Failure::None;
  std::string description;
  bool tried_basic = false;
  storage::ClientRecord client;

  bool ok() const { return failure == Failure::None; }
};

Task<ClientAuthentication> authenticate_client(Io& io, const ServerSettings& settings,
                                               const http::Request& request,
                                               const ParsedForm& form);

// The RFC 6749 §5.2 response for a failed authentication.
http::Response client_authentication_error(const ClientAuthentication& auth);

}  // namespace bmcp::oauth
