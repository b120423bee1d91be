// libFuzzer target for every parser that reads untrusted text: form bodies and queries,
// Cookie and Authorization headers, JWTs, base64, JSON, redirect URIs, sealed state and
// cookies. Besides "never crash", it checks invariants that a parser bug would break.
// Built and run by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/json.hpp"
#include "crypto/base64.hpp"
#include "crypto/hex.hpp"
#include "crypto/sealed_box.hpp"
#include "oauth/access_token.hpp"
#include "oauth/approval_cookie.hpp"
#include "oauth/authorization_header.hpp"
#include "oauth/cookie.hpp"
#include "oauth/form_encoding.hpp"
#include "oauth/jwt.hpp"
#include "oauth/oauth_state.hpp"
#include "oauth/pkce.hpp"
#include "oauth/redirect_uri.hpp"
#include "support/openssl_crypto.hpp"

namespace {

void require(bool condition) {
  if (!condition) __builtin_trap();
}

const std::string kSecret = "fuzz-signing-secret-0123456789-abcdefghij";
const std::string kKey(32, '\x33');

void fuzz_encodings(std::string_view input) {
  using namespace bmcp::crypto;
  // Strict decoders accept exactly one spelling per value.
  if (auto bytes = base64_decode(input)) require(base64_encode(*bytes) == input);
  if (auto bytes = base64url_decode(input)) require(base64url_encode(*bytes) == input);
  if (auto bytes = hex_decode(input)) require(hex_decode(hex_encode(*bytes)) == bytes);
  require(base64url_decode(base64url_encode(input)) == std::string(input));
  (void)bmcp::parse_json(input);
}

void fuzz_forms(std::string_view input) {
  using namespace bmcp::oauth;
  ParsedForm form = parse_form_urlencoded(input);
  if (form.ok()) {
    for (const FormParameter& parameter : form.parameters) {
      require(!parameter.name.empty());
      require(is_valid_utf8(parameter.name) && is_valid_utf8(parameter.value));
    }
    ParsedForm again = parse_form_urlencoded(form_urlencode(form.parameters));
    require(again.ok() && again.parameters.size() == form.parameters.size());
    (void)form.repeated_names();
  }
  (void)parse_query_string(url_query(input));
}

void fuzz_headers(std::string_view input) {
  using namespace bmcp::oauth;
  if (auto token = parse_bearer(input)) require(!token->empty());
  if (auto credentials = parse_basic_auth(input)) require(!credentials->client_id.empty());
  for (const Cookie& cookie : parse_cookie_header(input)) require(!cookie.name.empty());
  if (auto header = build_set_cookie("n", input)) require(header->find(';') > 1);
}

void fuzz_tokens(const bmcp::CryptoPort& crypto, std::string_view input) {
  using namespace bmcp::oauth;
  JwtExpectations expect;
  expect.now = 1'760'000'000;
  expect.audience = "https://mcp.example.com/mcp";
  expect.issuer = "https://mcp.example.com";
  // Random text as a whole token: never valid.
  require(!verify_jwt_hs256(crypto, kSecret, input, expect).ok());
  (void)verify_access_token(crypto, kSecret, input, "https://mcp.example.com", "https://mcp.example.com/mcp",
                            expect.now);
  // Random text as a correctly signed payload: exercises every claim check.
  std::string signing_input =
      bmcp::crypto::base64url_encode(R"({"alg":"HS256","typ":"at+jwt"})") + "." + bmcp::crypto::base64url_encode(input);
  std::string token = signing_input + "." + bmcp::crypto::base64url_encode(crypto.hmac_sha256(kSecret, signing_input));
  auto verified = verify_jwt_hs256(crypto, kSecret, token, expect);
  if (verified.ok()) require(verified.claims.is_object());
  (void)verify_access_token(crypto, kSecret, token, "https://mcp.example.com", "https://mcp.example.com/mcp", expect.now);
}

void fuzz_sealed(const bmcp::CryptoPort& crypto, std::string_view input) {
  using namespace bmcp::oauth;
  require(!open_oauth_state(crypto, kKey, input, 0).ok());
  require(read_approval_cookie(crypto, kKey, input, 0).approvals.empty());
  // Random text sealed by us for a purpose: authentic, so the payload parsers run on it.
  auto sealed_state = bmcp::crypto::seal(crypto, kKey, input, kOAuthStateAad, "fuzz-iv-0001");
  if (sealed_state) (void)open_oauth_state(crypto, kKey, *sealed_state, 0);
  auto sealed_cookie = bmcp::crypto::seal(crypto, kKey, input, kApprovalCookieAad, "fuzz-iv-0002");
  if (sealed_cookie) (void)read_approval_cookie(crypto, kKey, *sealed_cookie, 0);
}

void fuzz_redirects(const bmcp::CryptoPort& crypto, std::string_view input) {
  using namespace bmcp::oauth;
  RedirectUriCheck check = validate_redirect_uri(input);
  require(check.ok() == check.message.empty());
  (void)redirect_uri_matches("http://127.0.0.1:8080/cb", input);
  (void)build_authorization_redirect(input, "code", input, "https://mcp.example.com");
  (void)verify_s256_code_challenge(crypto, input, input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bmcp::testing::OpenSslCrypto crypto;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  fuzz_encodings(input);
  fuzz_forms(input);
  fuzz_headers(input);
  fuzz_tokens(crypto, input);
  fuzz_sealed(crypto, input);
  fuzz_redirects(crypto, input);
  return 0;
}
