// A person's account map is read from KV once per minute per isolate, not by every tool
// call and again by the output guard (brokers/account_map_cache.hpp): what this isolate
// builds it uses at once, and what another isolate builds is seen within the cache's
// lifetime.
#include <catch2/catch.hpp>

#include "app/catalog_set.hpp"
#include "brokers/account_map_cache.hpp"
#include "brokers/broker_accounts.hpp"
#include "unit/brokers/schwab/schwab_harness.hpp"
#include "unit/signin/signin_harness.hpp"

namespace bmcp {
namespace {

int kv_reads(const testing::FakeHost& host) {
  int n = 0;
  for (const Effect& e : host.effect_log) n += e.kind == "kv.get";
  return n;
}

privacy::AccountDisplayMap map_of(const std::string& number) {
  return privacy::AccountDisplayMap::build({{number, "", "Individual", ""}});
}

}  // namespace

TEST_CASE("the account map cache remembers a minute, an absence seconds, within its bound",
          "[brokers][account-maps]") {
  brokers::AccountMapCache cache;
  CHECK_FALSE(cache.find("k", 1000));
  cache.remember_built("k", map_of("11112222"), 1000);
  auto known = cache.find("k", 1000 + brokers::AccountMapCache::kTtlMs - 1);
  REQUIRE(known);
  REQUIRE(known->map);
  CHECK(known->map->entries().at(0).account_number == "11112222");
  CHECK_FALSE(cache.find("k", 1000 + brokers::AccountMapCache::kTtlMs));

  cache.remember_read("none", std::nullopt, 1000, cache.changes());
  auto absent = cache.find("none", 1000 + brokers::AccountMapCache::kAbsentTtlMs - 1);
  REQUIRE(absent);
  CHECK_FALSE(absent->map);
  CHECK_FALSE(cache.find("none", 1000 + brokers::AccountMapCache::kAbsentTtlMs));

  for (int i = 0; i < 3000; ++i)
    cache.remember_read("k" + std::to_string(i), std::nullopt, 1000, cache.changes());
  CHECK(cache.size() <= brokers::AccountMapCache::kMaxEntries);
  cache.clear();
  CHECK(cache.size() == 0);
}

TEST_CASE("a KV read under way while a map is built or the cache cleared does not win",
          "[brokers][account-maps]") {
  // Two calls of one person at once: one reads KV (the old map, or none), the other meets a
  // new account and builds the map. The read ends last; the built map must stay.
  brokers::AccountMapCache cache;
  const std::uint64_t read_began = cache.changes();
  cache.remember_built("k", map_of("33334444"), 1000);
  cache.remember_read("k", map_of("11112222"), 1001, read_began);
  auto known = cache.find("k", 1002);
  REQUIRE(known);
  REQUIRE(known->map);
  CHECK(known->map->entries().at(0).account_number == "33334444");
  // A sign-in through this isolate forgets everything; a read that began before it is not
  // put back either.
  const std::uint64_t before_sign_in = cache.changes();
  cache.clear();
  cache.remember_read("k", std::nullopt, 1003, before_sign_in);
  CHECK_FALSE(cache.find("k", 1004));
  // A read with nothing in between is kept.
  cache.remember_read("k", map_of("55556666"), 1005, cache.changes());
  REQUIRE(cache.find("k", 1006));
}

TEST_CASE("a KV read of the account map that failed is not remembered as no map",
          "[brokers][account-maps]") {
  // KV unreachable for one call must not make the guard scrub without the person's map for
  // the next kAbsentTtlMs: only an answer is remembered.
  testing::FakeHost host;
  brokers::AccountMapCache cache;
  const std::string key = brokers::account_map_key(brokers::Broker::Schwab, "alice");
  host.kv_set(key, dump_json(map_of("11112222").to_json()), 3600);
  auto has_map = [&host, &cache] {
    return host.run([&cache](Io& io) -> Task<Json> {
      auto map = co_await brokers::cached_account_map(io, brokers::Broker::Schwab, "alice", &cache);
      co_return Json(map.has_value());
    });
  };
  host.fail_kv_get = [](const std::string&) { return true; };
  CHECK(has_map() == false);
  host.fail_kv_get = nullptr;
  host.advance(1);
  CHECK(has_map() == true);
  CHECK(kv_reads(host) == 2);
  // An answer is remembered: a third call asks nothing.
  CHECK(has_map() == true);
  CHECK(kv_reads(host) == 2);
}

TEST_CASE("a broker tool call and its output guard read the account map from KV at most once",
          "[brokers][account-maps]") {
  brokers::AccountMapCache cache;
  brokers::BrokerToolOptions options;
  options.account_maps = &cache;
  testing::schwab::ToolBench b("confirm", options);

  Json first = b.call_via_server("getAccount", {{"account", testing::schwab::kNameA}});
  REQUIRE_FALSE(testing::schwab::is_error(first));
  CHECK(kv_reads(b.host) <= 1);  // the call's own read; the guard uses what it found or built

  const int before = kv_reads(b.host);
  Json second = b.call_via_server("getAccount", {{"account", testing::schwab::kNameA}});
  REQUIRE_FALSE(testing::schwab::is_error(second));
  CHECK(kv_reads(b.host) == before);
  CHECK_FALSE(testing::schwab::leaks(second));
  CHECK(dump_json(second).find(testing::schwab::kNameA) != std::string::npos);

  SECTION("a map another isolate stored is read once this one's is a minute old") {
    b.host.advance(brokers::AccountMapCache::kTtlMs);
    b.call_via_server("getAccount", {{"account", testing::schwab::kNameA}});
    CHECK(kv_reads(b.host) == before + 1);
  }
}

TEST_CASE("without the cache every call reads the map again (what the cache saves)",
          "[brokers][account-maps]") {
  testing::schwab::ToolBench b;
  b.call_via_server("getAccount", {{"account", testing::schwab::kNameA}});
  const int before = kv_reads(b.host);
  b.call_via_server("getAccount", {{"account", testing::schwab::kNameA}});
  CHECK(kv_reads(b.host) >= before + 2);  // the call's read and the guard's
}

TEST_CASE("a signed-in person's second status call asks the platform for nothing",
          "[brokers][account-maps][in-isolate]") {
  // The production catalogs, signed in through the real sign-in: the first call reads the
  // grant, the broker sign-in and the account map; the next one finds all three in memory.
  testing::SigninHarness h(testing::signin_env(), app::build_production_catalogs);
  Json tokens = h.connect("schwab", "alice");
  const std::string access = tokens["access_token"];
  testing::Reply first = h.call_tool(access, "status");
  REQUIRE(first.status == 200);
  CHECK(testing::SigninHarness::tool_result(
            first)["structuredContent"]["broker"]["signIn"]["state"] == "signed in");
  const std::size_t effects = h.host.effect_log.size();
  testing::Reply second = h.call_tool(access, "status");
  REQUIRE(second.status == 200);
  CHECK(second.body == first.body);
  std::vector<std::string> asked;
  for (std::size_t i = effects; i < h.host.effect_log.size(); ++i)
    asked.push_back(h.host.effect_log[i].kind);
  CHECK(asked == std::vector<std::string>{});
}

}  // namespace bmcp
