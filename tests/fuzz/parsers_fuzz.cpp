// libFuzzer target for every parser that reads untrusted text: JSON (with its depth
// limit), the JSON-RPC classifier, form bodies and queries, Cookie and Authorization
// headers, JWTs, base64, URLs and redirect URIs, client metadata documents and their URLs,
// SSE framing, WebSocket hub frames, sealed state and cookies. Besides "never crash", it
// checks invariants that a parser bug would break. Built by CMake (BMCP_FUZZ=ON, clang)
// and run by scripts/fuzz.sh (npm run fuzz).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/json.hpp"
#include "base/json_parse.hpp"
#include "crypto/base64.hpp"
#include "crypto/hex.hpp"
#include "crypto/sealed_box.hpp"
#include "http/http_message.hpp"
#include "hub/user_hub.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/sse.hpp"
#include "oauth/access_token.hpp"
#include "oauth/approval_cookie.hpp"
#include "oauth/authorization_header.hpp"
#include "oauth/client_metadata_document.hpp"
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
}

int depth_of(const bmcp::Json& value) {
  if (!value.is_structured()) return 0;
  int deepest = 0;
  for (const bmcp::Json& child : value) deepest = std::max(deepest, depth_of(child));
  return deepest + 1;
}

void fuzz_json(std::string_view input) {
  using namespace bmcp;
  JsonParse parsed = parse_json_checked(input);
  require(parsed.value.has_value() == (parsed.failure == JsonFailure::kNone));
  require(parse_json(input).has_value() == parsed.value.has_value());
  // The same bytes wrapped past the limit are always refused as too deep, never parsed.
  std::string wrapped =
      std::string(kMaxJsonDepth, '[') + std::string(input) + std::string(kMaxJsonDepth, ']');
  JsonParse deep = parse_json_checked(wrapped);
  if (deep.value) require(depth_of(*deep.value) <= kMaxJsonDepth);
  if (!parsed.value) return;
  require(depth_of(*parsed.value) <= kMaxJsonDepth);
  // What we parse, we write back and read again unchanged (modulo invalid UTF-8, which the
  // parser refuses, so the dump never has to replace anything).
  std::string dumped = dump_json(*parsed.value);
  JsonParse again = parse_json_checked(dumped);
  require(again.value.has_value());
  require(dump_json(*again.value) == dumped);
  // The JSON-RPC classifier on any parsed value: a message or the error to answer.
  mcp::Classified classified = mcp::classify(*parsed.value);
  if (auto* error = std::get_if<Json>(&classified)) {
    const Json* e = find_member(*error, "error");
    require(e && get_int(*e, "code").has_value());
  } else {
    const auto& message = std::get<mcp::RpcMessage>(classified);
    require(message.params.is_object());
    if (message.kind == mcp::RpcMessage::Kind::Request)
      require(message.id.is_string() || message.id.is_number_integer() ||
              message.id.is_number_unsigned());
  }
  // A WebSocket hub frame: always a reply (never a trap), whatever it says.
  Json reply = hub::on_subscriber_message(input, Json{{"channels", Json::array()}});
  require(reply.is_object());
}

void fuzz_urls(std::string_view input) {
  using namespace bmcp;
  if (auto url = http::parse_url(input)) {
    require(url->scheme == "http" || url->scheme == "https");
    require(!url->host.empty());
  }
  const bool document_url = oauth::is_client_metadata_url(input);
  auto problem = oauth::client_metadata_url_problem(input, /*allow_loopback_http=*/false);
  if (document_url && !problem) require(input.substr(0, 8) == "https://");
  std::string url = "https://client.example/doc.json";
  oauth::ClientDocumentCheck doc = oauth::client_from_metadata_document(url, input);
  require(doc.client.has_value() != !doc.problem.empty());
}

void fuzz_sse(std::string_view input) {
  // Whatever the payload, one event: it ends at its only blank line, and every line of it
  // is a field this server wrote (data/event/id), so nothing can be injected.
  std::string event = bmcp::mcp::sse_event(input, input, input);
  require(event.size() >= 2 && event.compare(event.size() - 2, 2, "\n\n") == 0);
  require(event.find("\n\n") == event.size() - 2);
  require(event.find('\r') == std::string::npos);
  std::size_t start = 0;
  while (start < event.size() - 1) {
    std::size_t end = event.find('\n', start);
    std::string_view line(event.data() + start, end - start);
    require(line.rfind("data:", 0) == 0 || line.rfind("event:", 0) == 0 ||
            line.rfind("id:", 0) == 0);
    start = end + 1;
  }
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
  (void)verify_access_token(crypto, kSecret, input, "https://mcp.example.com",
                            "https://mcp.example.com/mcp", expect.now);
  // Random text as a correctly signed payload: exercises every claim check.
  std::string signing_input = bmcp::crypto::base64url_encode(R"({"alg":"HS256","typ":"at+jwt"})") +
                              "." + bmcp::crypto::base64url_encode(input);
  std::string token = signing_input + "." +
                      bmcp::crypto::base64url_encode(crypto.hmac_sha256(kSecret, signing_input));
  auto verified = verify_jwt_hs256(crypto, kSecret, token, expect);
  if (verified.ok()) require(verified.claims.is_object());
  (void)verify_access_token(crypto, kSecret, token, "https://mcp.example.com",
                            "https://mcp.example.com/mcp", expect.now);
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
  fuzz_json(input);
  fuzz_urls(input);
  fuzz_sse(input);
  fuzz_forms(input);
  fuzz_headers(input);
  fuzz_tokens(crypto, input);
  fuzz_sealed(crypto, input);
  fuzz_redirects(crypto, input);
  return 0;
}
