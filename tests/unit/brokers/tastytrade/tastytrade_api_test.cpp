// tastytrade envelopes, string decimals with *-effect signs, pagination, error bodies,
// cache keys, symbol classification and the typed error mapping.
#include <catch2/catch.hpp>

#include "brokers/tastytrade/quote_cache.hpp"
#include "brokers/tastytrade/tastytrade_accounts.hpp"
#include "brokers/tastytrade/tastytrade_api.hpp"
#include "tastytrade_harness.hpp"

using namespace bmcp;
using namespace bmcp::tastytrade;
using bmcp::testing::tasty::fixture;

TEST_CASE("tastytrade envelopes: data, items, single objects and pagination", "[tastytrade]") {
  Json accounts = fixture("accounts.json");
  CHECK(items_of(accounts).size() == 3);
  Json balances = fixture("balances.json");
  REQUIRE(items_of(balances).size() == 1);  // a single object in data counts as one item
  CHECK(get_string(data_of(balances), "currency") == std::optional<std::string>("USD"));
  Json tx = fixture("transactions.json");
  Json p = pagination_of(tx);
  CHECK(p["total"] == 5);
  CHECK(p["pages"] == 3);
  CHECK(p["perPage"] == 2);
  CHECK(pagination_of(accounts).is_null());
  Json bare = Json::array({1, 2});
  CHECK(items_of(bare).size() == 2);
  CHECK(items_of(Json("text")).empty());
}

TEST_CASE("tastytrade decimals: strings and numbers, effects give the sign", "[tastytrade]") {
  CHECK(decimal(Json("556.23")) == Approx(556.23));
  CHECK(decimal(Json("-0.5")) == Approx(-0.5));
  CHECK(decimal(Json(40)) == Approx(40));
  CHECK(decimal(Json("1e3")) == Approx(1000));
  CHECK_FALSE(decimal(Json("")));
  CHECK_FALSE(decimal(Json("NaN")));
  CHECK_FALSE(decimal(Json("12abc")));
  CHECK_FALSE(decimal(Json(nullptr)));
  CHECK_FALSE(decimal(Json("0x10")));
  Json b = data_of(fixture("balances.json"));
  CHECK(signed_amount(b, "pending-cash") == Approx(-12.5));      // Debit
  CHECK(signed_amount(b, "cash-balance") == Approx(51600.762));  // no effect field
  Json fees = data_of(fixture("dry_run.json"))["fee-calculation"];
  CHECK(signed_amount(fees, "total-fees") == Approx(-2.26));
  CHECK(signed_amount(fees, "proprietary-index-option-fees") == Approx(0));
  Json bp = data_of(fixture("dry_run.json"))["buying-power-effect"];
  CHECK(signed_amount(bp, "new-buying-power") == Approx(19702.602));  // Credit
  CHECK_FALSE(signed_amount(bp, "missing"));
  // Position quantity appears as a string and as a number.
  Json pos = items_of(fixture("positions.json"));
  CHECK(decimal_member(pos[0], "quantity") == Approx(100));
  CHECK(decimal_member(pos[1], "quantity") == Approx(2));
}

TEST_CASE("tastytrade error bodies become short messages", "[tastytrade]") {
  CHECK(tastytrade_error_message(fixture("error_validation.json")) ==
        "validation_error: Request validation failed; price: is required for Limit orders");
  Json plain = {{"error", {{"code", "not_permitted"}, {"message", "User not permitted access"}}}};
  CHECK(tastytrade_error_message(plain) == "not_permitted: User not permitted access");
  Json oauth = {{"error_code", "invalid_grant"}, {"error_description", "Grant revoked"}};
  CHECK(tastytrade_error_message(oauth) == "invalid_grant: Grant revoked");
  CHECK(tastytrade_error_message(Json()) == "");
}

TEST_CASE("tastytrade accounts: closed accounts are left out, types and nicknames kept",
          "[tastytrade]") {
  auto ids = account_identities(fixture("accounts.json"));
  REQUIRE(ids.size() == 2);
  CHECK(ids[0].account_number == "5WT10123");
  CHECK(ids[0].type == "Individual");
  CHECK(ids[1].type == "Roth IRA");
}

TEST_CASE("cache keys: a person's data under user:<id>:, quotes shared", "[tastytrade]") {
  CHECK(user_key("tastytrade:alice", "accounts") == "user:tastytrade:alice:tastytrade:accounts");
  CHECK(user_key("tastytrade:bob", "accounts") != user_key("tastytrade:alice", "accounts"));
  CHECK(quote_key("equity", "aapl") == "quote:tastytrade:equity:AAPL");
  CHECK(quote_key("equity-option", "SPY   260116P00550000") ==
        "quote:tastytrade:equity-option:SPY   260116P00550000");
  CHECK(quote_key("equity", "AAPL").find("user:") == std::string::npos);
}

TEST_CASE("symbols are classified into by-type parameters", "[tastytrade]") {
  auto c = classify_symbol(" aapl ");
  CHECK(c.instrument_type == "equity");
  CHECK(c.symbol == "AAPL");
  CHECK(classify_symbol("$SPX").instrument_type == "index");
  CHECK(classify_symbol("$SPX").symbol == "SPX");
  CHECK(classify_symbol("VIX").instrument_type == "index");
  CHECK(classify_symbol("/ESZ6").instrument_type == "future");
  CHECK(classify_symbol("./ESZ6 E1AZ6 261205P3720").instrument_type == "future-option");
  CHECK(classify_symbol("BTC/USD").instrument_type == "cryptocurrency");
  auto o = classify_symbol("SPY260116P00550000");
  CHECK(o.instrument_type == "equity-option");
  CHECK(o.symbol == "SPY   260116P00550000");  // OCC root padded to six
  CHECK(classify_symbol("AAPL  260615C00255000").symbol == "AAPL  260615C00255000");
}

TEST_CASE("typed errors carry code, status, retryable and retry after", "[tastytrade]") {
  upstream::UpstreamError e;
  e.code = upstream::ErrorCode::InvalidToken;
  e.http_status = 401;
  e.message = "sign in again";
  TypedError t = typed_error(e);
  CHECK(t.code == "AUTHENTICATION_ERROR");
  CHECK(t.status == 401);
  CHECK_FALSE(t.retryable);
  e.code = upstream::ErrorCode::RateLimited;
  e.http_status = 429;
  e.retry_after_ms = 2500;
  t = typed_error(e);
  CHECK(t.code == "RATE_LIMIT");
  CHECK(t.status == 429);
  CHECK(t.retryable);
  CHECK(t.retry_after_seconds == 3);
  Json j = t.to_json();
  CHECK(j["retryAfter"] == 3);
  CHECK(j["retryable"] == true);
  e = {};
  e.code = upstream::ErrorCode::InvalidRequest;
  e.http_status = 400;
  CHECK(typed_error(e).code == "VALIDATION_ERROR");
  CHECK(typed_error(e).status == 400);
  e.http_status = 422;
  CHECK(typed_error(e).code == "ORDER_REJECTED");
  e = {};
  e.code = upstream::ErrorCode::NotFound;
  CHECK(typed_error(e).code == "NOT_FOUND");
  e.code = upstream::ErrorCode::InsufficientScope;
  CHECK(typed_error(e).code == "PERMISSION_DENIED");
  e.code = upstream::ErrorCode::ServerError;
  CHECK(typed_error(e).retryable);
  e.outcome_unknown = true;
  CHECK_FALSE(typed_error(e).retryable);  // a mutation that may have happened is never retried
  e = {};
  e.code = upstream::ErrorCode::NetworkError;
  CHECK(typed_error(e).code == "UPSTREAM_UNAVAILABLE");
  CHECK(typed_error(e).retryable);
  CHECK(validation_error("x").to_json()["code"] == "VALIDATION_ERROR");
}

TEST_CASE("the endpoint: base from TASTYTRADE_API_BASE and a product/version User-Agent",
          "[tastytrade]") {
  app::Config c;
  c.raw = {{"TASTYTRADE_API_BASE", "http://127.0.0.1:8788/tastytrade/"}};
  auto ep = tastytrade_endpoint(c.raw, c.server_version);
  CHECK(ep.base_url == "http://127.0.0.1:8788/tastytrade");
  CHECK(ep.user_agent.rfind("broker-mcp/", 0) == 0);
  CHECK(ep.provider == "tastytrade");
  app::Config d;
  CHECK(tastytrade_endpoint(d.raw, d.server_version).base_url == "https://api.tastyworks.com");
}
