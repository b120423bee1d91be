#include <catch2/catch.hpp>

#include "base/json.hpp"
#include "crypto/sealed_box.hpp"
#include "oauth/oauth_state.hpp"
#include "support/openssl_crypto.hpp"

using namespace bmcp::oauth;

namespace {
const std::string kKey(32, '\x5a');
const std::string kIv("iv-for-state");
constexpr std::int64_t kNow = 1'760'000'000;

BrokerLoginState sample_state() {
  BrokerLoginState state;
  state.request.client_id = "client-123";
  state.request.redirect_uri = "https://claude.ai/api/mcp/auth_callback";
  state.request.state = "client-state-xyz";
  state.request.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  state.request.scope = "mcp:read";
  state.request.resource = "https://mcp.example.com/mcp";
  state.broker = "schwab";
  state.broker_code_verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  state.csrf_nonce = "nonce-abc";
  return state;
}
}  // namespace

TEST_CASE("OAuth state round-trips and expires after 10 minutes", "[oauth][oauth_state]") {
  bmcp::testing::OpenSslCrypto crypto;
  auto sealed = seal_oauth_state(crypto, kKey, sample_state(), kNow, kIv);
  REQUIRE(sealed.has_value());
  // Confidential: nothing of the payload is visible in the token.
  CHECK(sealed->find("client-123") == std::string::npos);

  auto opened = open_oauth_state(crypto, kKey, *sealed, kNow + 599);
  REQUIRE(opened.ok());
  CHECK(opened.expires_at == kNow + 600);
  const BrokerLoginState& state = opened.state;
  CHECK(state.request.client_id == "client-123");
  CHECK(state.request.redirect_uri == "https://claude.ai/api/mcp/auth_callback");
  CHECK(state.request.state == "client-state-xyz");
  CHECK(state.request.code_challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  CHECK(state.request.scope == "mcp:read");
  CHECK(state.request.resource == "https://mcp.example.com/mcp");
  CHECK(state.broker == "schwab");
  CHECK(state.broker_code_verifier == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  CHECK(state.csrf_nonce == "nonce-abc");

  SECTION("expired state") {
    auto expired = open_oauth_state(crypto, kKey, *sealed, kNow + 600);
    CHECK(expired.error == OAuthStateError::Expired);
    CHECK(open_oauth_state(crypto, kKey, *sealed, kNow + 100000).error == OAuthStateError::Expired);
  }
  SECTION("empty optional fields survive") {
    BrokerLoginState minimal = sample_state();
    minimal.request.state.clear();
    minimal.request.scope.clear();
    minimal.request.resource.clear();
    auto reopened = open_oauth_state(
        crypto, kKey, seal_oauth_state(crypto, kKey, minimal, kNow, kIv).value(), kNow);
    REQUIRE(reopened.ok());
    CHECK(reopened.state.request.state.empty());
  }
}

TEST_CASE("tampered, foreign or malformed OAuth state is refused", "[oauth][oauth_state]") {
  bmcp::testing::OpenSslCrypto crypto;
  const std::string sealed = seal_oauth_state(crypto, kKey, sample_state(), kNow, kIv).value();

  SECTION("every single-character change") {
    for (std::size_t i = 0; i < sealed.size(); ++i) {
      std::string tampered = sealed;
      tampered[i] = tampered[i] == 'x' ? 'y' : 'x';
      CHECK(open_oauth_state(crypto, kKey, tampered, kNow).error == OAuthStateError::Invalid);
    }
  }
  SECTION("another key") {
    CHECK(open_oauth_state(crypto, std::string(32, '\x5b'), sealed, kNow).error ==
          OAuthStateError::Invalid);
  }
  SECTION("sealed for another purpose") {
    auto cookie = bmcp::crypto::seal(crypto, kKey, R"({"v":1})", "approval-cookie", kIv).value();
    CHECK(open_oauth_state(crypto, kKey, cookie, kNow).error == OAuthStateError::Invalid);
  }
  SECTION("garbage") {
    for (const char* text : {"", "abc", "v1.", "eyJjbGllbnRJZCI6IngifQ", "v1.AAAA.BBBB"})
      CHECK(open_oauth_state(crypto, kKey, text, kNow).error == OAuthStateError::Invalid);
  }
  SECTION("authentic but incomplete payloads") {
    auto seal_payload = [&](const bmcp::Json& payload) {
      return bmcp::crypto::seal(crypto, kKey, bmcp::dump_json(payload), kOAuthStateAad, kIv)
          .value();
    };
    CHECK(open_oauth_state(
              crypto, kKey,
              bmcp::crypto::seal(crypto, kKey, "not json", kOAuthStateAad, kIv).value(), kNow)
              .error == OAuthStateError::BadPayload);
    CHECK(open_oauth_state(crypto, kKey, seal_payload(bmcp::Json::array()), kNow).error ==
          OAuthStateError::BadPayload);
    CHECK(
        open_oauth_state(crypto, kKey, seal_payload({{"v", 2}, {"exp", kNow + 10}}), kNow).error ==
        OAuthStateError::BadPayload);
    CHECK(open_oauth_state(crypto, kKey, seal_payload({{"v", 1}}), kNow).error ==
          OAuthStateError::BadPayload);
    CHECK(
        open_oauth_state(crypto, kKey, seal_payload({{"v", 1}, {"exp", kNow + 10}}), kNow).error ==
        OAuthStateError::BadPayload);
    bmcp::Json wrong_broker = {{"v", 1},           {"exp", kNow + 10},
                               {"client_id", "c"}, {"redirect_uri", "r"},
                               {"state", ""},      {"code_challenge", "x"},
                               {"scope", ""},      {"resource", ""},
                               {"broker", "evil"}, {"broker_code_verifier", std::string(43, 'a')},
                               {"csrf", "n"}};
    CHECK(open_oauth_state(crypto, kKey, seal_payload(wrong_broker), kNow).error ==
          OAuthStateError::BadPayload);
    wrong_broker["broker"] = "tastytrade";
    CHECK(open_oauth_state(crypto, kKey, seal_payload(wrong_broker), kNow).ok());
    wrong_broker["scope"] = 5;
    CHECK(open_oauth_state(crypto, kKey, seal_payload(wrong_broker), kNow).error ==
          OAuthStateError::BadPayload);
  }
}

TEST_CASE("only complete OAuth states are sealed", "[oauth][oauth_state]") {
  bmcp::testing::OpenSslCrypto crypto;
  auto without = [](auto change) {
    BrokerLoginState state = sample_state();
    change(state);
    return state;
  };
  CHECK_FALSE(
      seal_oauth_state(crypto, kKey, without([](auto& s) { s.broker = "etrade"; }), kNow, kIv)
          .has_value());
  CHECK_FALSE(seal_oauth_state(crypto, kKey,
                               without([](auto& s) { s.broker_code_verifier = "short"; }), kNow,
                               kIv)
                  .has_value());
  CHECK_FALSE(
      seal_oauth_state(crypto, kKey, without([](auto& s) { s.csrf_nonce.clear(); }), kNow, kIv)
          .has_value());
  CHECK_FALSE(seal_oauth_state(crypto, kKey, without([](auto& s) { s.request.client_id.clear(); }),
                               kNow, kIv)
                  .has_value());
  CHECK_FALSE(seal_oauth_state(crypto, kKey,
                               without([](auto& s) { s.request.redirect_uri.clear(); }), kNow, kIv)
                  .has_value());
  CHECK_FALSE(seal_oauth_state(crypto, kKey,
                               without([](auto& s) { s.request.code_challenge.clear(); }), kNow,
                               kIv)
                  .has_value());
  CHECK_FALSE(
      seal_oauth_state(crypto, std::string(16, 'k'), sample_state(), kNow, kIv).has_value());
  CHECK_FALSE(seal_oauth_state(crypto, kKey, sample_state(), kNow, "short-iv").has_value());
}

TEST_CASE("broker names", "[oauth][oauth_state]") {
  CHECK(is_supported_broker_name("schwab"));
  CHECK(is_supported_broker_name("tastytrade"));
  CHECK(is_supported_broker_name("sandbox-schwab"));
  CHECK(is_supported_broker_name("sandbox-tastytrade-2"));
  for (const char* bad : {"", "Schwab", "sandbox-", "sandbox", "sandbox-UPPER", "sandbox-a b",
                          "etrade", "sandbox-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    CHECK_FALSE(is_supported_broker_name(bad));
}
