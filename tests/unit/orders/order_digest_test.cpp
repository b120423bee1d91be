// The canonical order and its digest: same order, same digest; any change, another one.
#include <catch2/catch.hpp>

#include "orders/order_digest.hpp"
#include "support/openssl_crypto.hpp"

using namespace bmcp;
using namespace bmcp::orders;

TEST_CASE("canonical orders ignore key order, spacing and 150 vs 150.0", "[orders][digest]") {
  testing::OpenSslCrypto crypto;
  Json a = *parse_json(R"({"price":150,"orderType":"LIMIT","legs":[{"q":10,"s":"AAPL"}]})");
  Json b = *parse_json(
      R"({ "orderType" : "LIMIT", "legs" : [ {"s":"AAPL","q":10.0} ], "price" : 150.00 })");
  CHECK(canonical_order_text(a) == canonical_order_text(b));
  CHECK(canonical_order_text(a) ==
        R"({"legs":[{"q":10,"s":"AAPL"}],"orderType":"LIMIT","price":150})");
  std::string da = order_digest(crypto, "schwab", "place", "HASH", a);
  CHECK(da.size() == 64);
  CHECK(da == order_digest(crypto, "schwab", "place", "HASH", b));

  SECTION("every field matters") {
    Json c = a;
    c["price"] = 150.01;
    CHECK(order_digest(crypto, "schwab", "place", "HASH", c) != da);
    Json d = a;
    d["legs"][0]["q"] = 11;
    CHECK(order_digest(crypto, "schwab", "place", "HASH", d) != da);
    Json e = a;
    e["legs"][0]["s"] = "AAPL ";
    CHECK(order_digest(crypto, "schwab", "place", "HASH", e) != da);
    Json f = a;
    f["price"] = "150";
    CHECK(order_digest(crypto, "schwab", "place", "HASH", f) != da);
  }
  SECTION("and so do broker, action and account") {
    CHECK(order_digest(crypto, "tastytrade", "place", "HASH", a) != da);
    CHECK(order_digest(crypto, "schwab", "replace", "HASH", a) != da);
    CHECK(order_digest(crypto, "schwab", "place", "HASH2", a) != da);
  }
  SECTION("fractions keep their value") {
    Json g = *parse_json(R"({"price":1.05})");
    CHECK(canonical_order_text(g) == R"({"price":1.05})");
  }
}
