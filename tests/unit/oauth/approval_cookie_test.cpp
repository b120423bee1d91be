#include <catch2/catch.hpp>

#include "base/json.hpp"
#include "crypto/sealed_box.hpp"
#include "oauth/approval_cookie.hpp"
#include "support/openssl_crypto.hpp"

using namespace bmcp::oauth;

namespace {
const std::string kKey(32, '\x61');
const std::string kIv("cookie-iv-12");
constexpr std::int64_t kNow = 1'760'000'000;
}  // namespace

TEST_CASE("approval cookie remembers approved clients", "[oauth][approval_cookie]") {
  bmcp::testing::OpenSslCrypto crypto;
  ApprovedClients clients = read_approval_cookie(crypto, kKey, "", kNow);
  CHECK(clients.approvals.empty());
  clients.add("client-a", kNow);
  clients.add("client-b", kNow, 60);
  CHECK(clients.contains("client-a", kNow));
  CHECK_FALSE(clients.contains("client-c", kNow));
  CHECK(clients.max_age(kNow) == kApprovalLifetimeSeconds);

  auto value = seal_approval_cookie(crypto, kKey, clients, kNow, kIv);
  REQUIRE(value.has_value());
  CHECK(value->find("client-a") == std::string::npos);  // sealed, not just signed

  ApprovedClients read = read_approval_cookie(crypto, kKey, *value, kNow + 30);
  CHECK(read.contains("client-a", kNow + 30));
  CHECK(read.contains("client-b", kNow + 30));

  SECTION("each approval expires on its own") {
    ApprovedClients later = read_approval_cookie(crypto, kKey, *value, kNow + 60);
    CHECK(later.contains("client-a", kNow + 60));
    CHECK_FALSE(later.contains("client-b", kNow + 60));
    CHECK(later.approvals.size() == 1);
    CHECK(read_approval_cookie(crypto, kKey, *value, kNow + kApprovalLifetimeSeconds)
              .approvals.empty());
  }
  SECTION("adding again renews, never shortens") {
    read.add("client-b", kNow + 30);
    CHECK(read.approvals.size() == 2);
    CHECK(read.contains("client-b", kNow + 1000));
    read.add("client-a", kNow, 10);
    CHECK(read.contains("client-a", kNow + 1000));
  }
  SECTION("unusable client ids are not remembered") {
    ApprovedClients other;
    other.add("", kNow);
    other.add(std::string(kMaxApprovedClientIdLength + 1, 'x'), kNow);
    CHECK(other.approvals.empty());
    CHECK(other.max_age(kNow) == 0);
  }
}

TEST_CASE("a tampered or foreign approval cookie reads as empty", "[oauth][approval_cookie]") {
  bmcp::testing::OpenSslCrypto crypto;
  ApprovedClients clients;
  clients.add("client-a", kNow);
  const std::string value = seal_approval_cookie(crypto, kKey, clients, kNow, kIv).value();

  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string tampered = value;
    tampered[i] = tampered[i] == 'Q' ? 'R' : 'Q';
    CHECK(read_approval_cookie(crypto, kKey, tampered, kNow).approvals.empty());
  }
  CHECK(read_approval_cookie(crypto, std::string(32, '\x62'), value, kNow).approvals.empty());
  for (const char* garbage : {"", "x", "[\"client-a\"]", "v1.a.b", "deadbeef.eyJhIjoxfQ=="})
    CHECK(read_approval_cookie(crypto, kKey, garbage, kNow).approvals.empty());

  SECTION("a sealed OAuth state is not an approval cookie") {
    auto other_purpose =
        bmcp::crypto::seal(crypto, kKey, R"({"v":1,"clients":[{"id":"x","exp":9999999999}]})",
                           "oauth-state", kIv)
            .value();
    CHECK(read_approval_cookie(crypto, kKey, other_purpose, kNow).approvals.empty());
  }
  SECTION("authentic cookie with an unexpected shape is distrusted entirely") {
    auto seal_payload = [&](std::string_view json) {
      return bmcp::crypto::seal(crypto, kKey, json, kApprovalCookieAad, kIv).value();
    };
    CHECK(read_approval_cookie(
              crypto, kKey,
              seal_payload(R"({"v":1,"clients":[{"id":"a","exp":9999999999},{"id":5,"exp":1}]})"),
              kNow)
              .approvals.empty());
    CHECK(read_approval_cookie(crypto, kKey, seal_payload(R"({"v":2,"clients":[]})"), kNow)
              .approvals.empty());
    CHECK(read_approval_cookie(crypto, kKey, seal_payload(R"({"v":1,"clients":{}})"), kNow)
              .approvals.empty());
    auto merged = read_approval_cookie(
        crypto, kKey,
        seal_payload(
            R"({"v":1,"clients":[{"id":"a","exp":1760000100},{"id":"a","exp":1760000900}]})"),
        kNow);
    REQUIRE(merged.approvals.size() == 1);
    CHECK(merged.approvals[0].expires_at == 1760000900);
  }
}

TEST_CASE("approval cookie stays within browser limits", "[oauth][approval_cookie]") {
  bmcp::testing::OpenSslCrypto crypto;
  SECTION("at most kMaxApprovedClients, the most recent kept") {
    ApprovedClients many;
    for (std::size_t i = 0; i < kMaxApprovedClients + 8; ++i)
      many.add("client-" + std::to_string(i), kNow + static_cast<std::int64_t>(i));
    auto value = seal_approval_cookie(crypto, kKey, many, kNow, kIv).value();
    ApprovedClients read = read_approval_cookie(crypto, kKey, value, kNow);
    CHECK(read.approvals.size() == kMaxApprovedClients);
    CHECK(read.contains("client-39", kNow));
    CHECK_FALSE(read.contains("client-0", kNow));
  }
  SECTION("long client ids (metadata document URLs) are evicted to fit") {
    ApprovedClients long_ids;
    for (int i = 0; i < 20; ++i)
      long_ids.add("https://client.example.com/" + std::string(400, 'a') + std::to_string(i),
                   kNow + i);
    auto value = seal_approval_cookie(crypto, kKey, long_ids, kNow, kIv).value();
    CHECK(value.size() <= kMaxApprovalCookieValueBytes);
    ApprovedClients read = read_approval_cookie(crypto, kKey, value, kNow);
    CHECK(read.approvals.size() >= 5);
    CHECK(read.contains("https://client.example.com/" + std::string(400, 'a') + "19", kNow));
  }
  SECTION("expired approvals are not written") {
    ApprovedClients stale;
    stale.add("old", kNow - 100, 50);
    stale.add("new", kNow);
    auto read = read_approval_cookie(
        crypto, kKey, seal_approval_cookie(crypto, kKey, stale, kNow, kIv).value(), kNow);
    CHECK(read.approvals.size() == 1);
  }
  SECTION("bad key or IV") {
    CHECK_FALSE(seal_approval_cookie(crypto, "short", ApprovedClients{}, kNow, kIv).has_value());
    CHECK_FALSE(seal_approval_cookie(crypto, kKey, ApprovedClients{}, kNow, "iv").has_value());
  }
}

TEST_CASE("each approval remembers the scope the person chose",
          "[oauth][approval_cookie][scopes]") {
  bmcp::testing::OpenSslCrypto crypto;
  ApprovedClients clients;
  clients.add("client-a", kNow, kApprovalLifetimeSeconds, "brokerage:read");
  clients.add("client-b", kNow, kApprovalLifetimeSeconds, "brokerage:read brokerage:trade");
  auto value = seal_approval_cookie(crypto, kKey, clients, kNow, kIv);
  REQUIRE(value.has_value());
  ApprovedClients read = read_approval_cookie(crypto, kKey, *value, kNow);
  REQUIRE(read.approvals.size() == 2);
  for (const ClientApproval& a : read.approvals)
    CHECK(a.scope ==
          (a.client_id == "client-a" ? "brokerage:read" : "brokerage:read brokerage:trade"));
  SECTION("the latest choice replaces the earlier one") {
    read.add("client-b", kNow + 5, kApprovalLifetimeSeconds, "brokerage:read");
    for (const ClientApproval& a : read.approvals) CHECK(a.scope == "brokerage:read");
  }
  SECTION("an approval written without a scope covers nothing") {
    std::string plain =
        R"({"v":1,"clients":[{"id":"client-c","exp":)" + std::to_string(kNow + 100) + "}]}";
    auto sealed = bmcp::crypto::seal(crypto, kKey, plain, kApprovalCookieAad, kIv);
    REQUIRE(sealed.has_value());
    ApprovedClients old = read_approval_cookie(crypto, kKey, *sealed, kNow);
    REQUIRE(old.approvals.size() == 1);
    CHECK(old.approvals[0].scope.empty());
  }
}
