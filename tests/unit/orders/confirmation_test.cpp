// Confirmation tokens: single use, bound to person, action, account and exact order,
// valid for 5 minutes; only their hash is stored.
#include <catch2/catch.hpp>

#include "orders/confirmation.hpp"
#include "orders/order_digest.hpp"
#include "support/fake_host.hpp"

using namespace bmcp;
using namespace bmcp::orders;

namespace {

Task<Json> issue(Io& io, ConfirmationBinding b, std::optional<IssuedConfirmation>* out) {
  Json preview = {{"summary", "Buy 1 share of AAPL"}};
  *out = co_await issue_confirmation(io, std::move(b), std::move(preview));
  co_return Json();
}

Task<Json> consume(Io& io, std::string token, ConfirmationBinding b, ConfirmationCheck* out) {
  *out = co_await consume_confirmation(io, std::move(token), std::move(b));
  co_return Json();
}

struct Bench {
  testing::FakeHost host;
  ConfirmationBinding binding;

  Bench() {
    binding.user_id = "schwab:alice";
    binding.provider = "schwab";
    binding.action = "place";
    binding.account_display = "Individual-...123";
    Json order = {{"orderType", "LIMIT"}, {"price", 150}};
    binding.order_digest = order_digest(host.crypto, "schwab", "place", "HASH1", order);
  }
  IssuedConfirmation issue_token() {
    std::optional<IssuedConfirmation> out;
    ConfirmationBinding b = binding;
    host.run([b, &out](Io& io) { return issue(io, b, &out); });
    REQUIRE(out);
    return *out;
  }
  ConfirmationCheck check(const std::string& token, ConfirmationBinding b) {
    ConfirmationCheck out = ConfirmationCheck::kStorageError;
    host.run([token, b, &out](Io& io) { return consume(io, token, b, &out); });
    return out;
  }
};

}  // namespace

TEST_CASE("a confirmation token confirms its order once", "[orders][confirmation]") {
  Bench b;
  IssuedConfirmation t = b.issue_token();
  CHECK_THAT(t.token, Catch::StartsWith("cfm_"));
  CHECK(t.token.size() >= 30);
  CHECK(t.expires_at_ms == b.host.now_ms + 5 * 60 * 1000);

  SECTION("only the hash is stored, with the preview") {
    auto rows = b.host.sql("SELECT * FROM order_confirmations");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["token_hash"].get<std::string>().size() == 64);
    CHECK(dump_json(rows[0]).find(t.token) == std::string::npos);
    CHECK(rows[0]["preview"].get<std::string>().find("Buy 1 share") != std::string::npos);
    CHECK(rows[0]["used_at"].is_null());
  }
  SECTION("used once, refused the second time") {
    CHECK(b.check(t.token, b.binding) == ConfirmationCheck::kConfirmed);
    CHECK(b.check(t.token, b.binding) == ConfirmationCheck::kUsed);
    CHECK_FALSE(b.host.sql("SELECT used_at FROM order_confirmations")[0]["used_at"].is_null());
  }
  SECTION("bound to the exact order: a changed order is refused and the token survives") {
    ConfirmationBinding other = b.binding;
    Json changed = {{"orderType", "LIMIT"}, {"price", 151}};
    other.order_digest = order_digest(b.host.crypto, "schwab", "place", "HASH1", changed);
    CHECK(b.check(t.token, other) == ConfirmationCheck::kMismatch);
    CHECK(b.check(t.token, b.binding) == ConfirmationCheck::kConfirmed);
  }
  SECTION("bound to the action and the account") {
    ConfirmationBinding cancel = b.binding;
    cancel.action = "cancel";
    CHECK(b.check(t.token, cancel) == ConfirmationCheck::kMismatch);
    ConfirmationBinding elsewhere = b.binding;
    elsewhere.account_display = "Individual-...456";
    CHECK(b.check(t.token, elsewhere) == ConfirmationCheck::kMismatch);
    ConfirmationBinding broker = b.binding;
    broker.provider = "tastytrade";
    CHECK(b.check(t.token, broker) == ConfirmationCheck::kMismatch);
  }
  SECTION("bound to the person: another user's token is unknown") {
    ConfirmationBinding bob = b.binding;
    bob.user_id = "schwab:bob";
    CHECK(b.check(t.token, bob) == ConfirmationCheck::kUnknown);
    CHECK(b.check(t.token, b.binding) == ConfirmationCheck::kConfirmed);
  }
  SECTION("valid for 5 minutes") {
    b.host.advance(5 * 60 * 1000 - 1);
    ConfirmationBinding same = b.binding;
    SECTION("just before") { CHECK(b.check(t.token, same) == ConfirmationCheck::kConfirmed); }
    SECTION("at expiry") {
      b.host.advance(1);
      CHECK(b.check(t.token, same) == ConfirmationCheck::kExpired);
    }
  }
  SECTION("unknown and malformed tokens") {
    CHECK(b.check("cfm_nope", b.binding) == ConfirmationCheck::kUnknown);
    CHECK(b.check("", b.binding) == ConfirmationCheck::kUnknown);
    CHECK(b.check(t.token + "x", b.binding) == ConfirmationCheck::kUnknown);
  }
  SECTION("tokens are unique") {
    IssuedConfirmation second = b.issue_token();
    CHECK(second.token != t.token);
    CHECK(b.check(second.token, b.binding) == ConfirmationCheck::kConfirmed);
    CHECK(b.check(t.token, b.binding) == ConfirmationCheck::kConfirmed);
  }
}

TEST_CASE("refusals are explained in plain words", "[orders][confirmation]") {
  CHECK_THAT(explain(ConfirmationCheck::kExpired), Catch::Contains("5 minutes"));
  CHECK_THAT(explain(ConfirmationCheck::kUsed), Catch::Contains("already used"));
  CHECK_THAT(explain(ConfirmationCheck::kMismatch), Catch::Contains("different order"));
  CHECK_THAT(explain(ConfirmationCheck::kUnknown), Catch::Contains("not known"));
}
