// A tastytrade tool bench for native tests: the tastytrade catalog (tools, resources,
// prompts) built against a fake broker sign-in and a fake tastytrade API serving the
// fixtures in tests/fixtures/tastytrade/, on the FakeHost with its controllable clock.
// Two people: alice (the fixture accounts) and bob (one account of his own); each
// person's access token is "tok-<user id>", and the fake API answers by token, refusing
// another person's account with 403 as tastytrade does.
#pragma once

#include <catch2/catch.hpp>

#include "app/config.hpp"
#include "brokers/broker_access.hpp"
#include "brokers/tastytrade/tastytrade_api.hpp"
#include "mcp/catalog.hpp"
#include "prompts/prompts.hpp"
#include "resources/resources.hpp"
#include "support/fake_broker_access.hpp"
#include "support/fake_broker_api.hpp"
#include "support/fake_host.hpp"
#include "support/resource_reader.hpp"
#include "brokers/tastytrade/tastytrade_tools.hpp"

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace bmcp::testing::tasty {

inline const std::string kBase = "https://tasty.test";
inline const std::string kAlice = "tastytrade:alice-ext";
inline const std::string kBob = "tastytrade:bob-ext";
inline const std::string kAliceMain = "5WT10123";
inline const std::string kAliceRoth = "5WU40456";
inline const std::string kBobAcct = "5WV62789";

inline Json fixture(const std::string& name) { return broker_fixture("tastytrade", name); }

class NullSink final : public logging::LogSink {
 public:
  void write(logging::LogLevel, std::string_view) const override {}
};

class NoElicitation final : public mcp::Outbound {
 public:
  bool can_stream() const override { return false; }
  Task<bool> send(Json) override { co_return false; }
  Task<std::optional<Json>> await_reply(const Json&, std::int64_t) override {
    co_return std::nullopt;
  }
  Json next_request_id() override { return 1; }
};

inline Json response(int status, const Json& body) {
  Json headers = Json::array(
      {Json::array({"Content-Type", "application/json"}), Json::array({"X-Request-Id", "req-1"})});
  return http_answer(status, body, std::move(headers));
}

inline std::string path_of(const Json& req) { return request_path(req, kBase); }
inline std::string query_of(const Json& req) { return request_query(req); }
inline std::string header(const Json& req, const std::string& name) {
  return request_header(req, name);
}

struct FakeTasty : RoutedFake {
  int by_type_calls = 0, placed = 0, cancelled = 0;
  bool down = false;  // every request fails with 500

  Json answer(const Json& req) {
    const std::string path = path_of(req);
    if (auto r = routed(req, path)) return *r;
    const std::string method = req.value("method", "GET");
    if (down)
      return response(500, {{"error", {{"code", "internal"}, {"message", "Internal error"}}}});
    if (header(req, "User-Agent").empty())
      return response(401,
                      {{"error", {{"code", "unauthorized"}, {"message", "User-Agent required"}}}});
    std::string auth = header(req, "Authorization");
    bool alice = auth == "Bearer tok-" + kAlice, bob = auth == "Bearer tok-" + kBob;
    if (!alice && !bob)
      return response(
          401, {{"error", {{"code", "token_invalid"}, {"message", "This token is invalid"}}}});
    if (path == "/customers/me/accounts") {
      if (alice) return response(200, fixture("accounts.json"));
      Json bob_accounts = *parse_json(
          R"({"data":{"items":[{"account":{"account-number":"5WV62789","account-type-name":"Individual","margin-or-cash":"Margin"}}]}})");
      return response(200, bob_accounts);
    }
    if (path == "/market-data/by-type")
      return ++by_type_calls, response(200, fixture("quotes.json"));
    if (path == "/market-metrics") return response(200, fixture("market_metrics.json"));
    if (path.rfind("/option-chains/", 0) == 0) return response(200, fixture("chain_nested.json"));
    if (path.rfind("/symbols/search/", 0) == 0)
      return response(
          200, *parse_json(R"({"data":{"items":[{"symbol":"AAPL","description":"Apple Inc."}]}})"));
    if (path == "/market-time/sessions/current")
      return response(200, fixture("market_sessions.json"));
    const std::string acct = "/accounts/";
    if (path.rfind(acct, 0) == 0) {
      std::string rest = path.substr(acct.size());
      std::string number = rest.substr(0, rest.find('/'));
      std::string tail = rest.substr(number.size());
      bool mine = alice ? (number == kAliceMain || number == kAliceRoth) : number == kBobAcct;
      if (!mine)
        return response(
            403,
            {{"error", {{"code", "not_permitted"}, {"message", "User not permitted access"}}}});
      auto rebrand = [&](Json j) {
        if (number == kAliceMain) return j;
        std::string s = dump_json(j);
        for (std::size_t p; (p = s.find(kAliceMain)) != std::string::npos;)
          s.replace(p, kAliceMain.size(), number);
        return *parse_json(s);
      };
      if (tail == "/balances") return response(200, rebrand(fixture("balances.json")));
      if (tail == "/positions") {
        if (bob) {
          Json one = *parse_json(
              R"({"data":{"items":[{"account-number":"5WV62789","symbol":"TSLA","instrument-type":"Equity","quantity":"10","quantity-direction":"Long","average-open-price":"250.0","close-price":"260.0","mark-price":"262.0","multiplier":1}]}})");
          return response(200, one);
        }
        if (number == kAliceRoth) return response(200, {{"data", {{"items", Json::array()}}}});
        return response(200, fixture("positions.json"));
      }
      if (tail == "/transactions") return response(200, rebrand(fixture("transactions.json")));
      if (method == "POST" && tail == "/orders") {
        ++placed;
        Json placed_order = rebrand(fixture("dry_run.json"));
        placed_order["data"]["order"]["id"] = 2000001;
        return response(201, placed_order);
      }
      if (tail == "/orders/live" || tail == "/orders")
        return response(200, rebrand(fixture("live_orders.json")));
      if (tail == "/orders/dry-run" ||
          (tail.size() > 8 && tail.substr(tail.size() - 8) == "/dry-run"))
        return response(201, rebrand(fixture("dry_run.json")));
      if (tail.rfind("/orders/", 0) == 0) {
        if (method == "DELETE")
          return ++cancelled,
                 response(200,
                          *parse_json(R"({"data":{"id":1075264,"status":"Cancel Requested"}})"));
        return response(200, {{"data", rebrand(fixture("live_orders.json"))["data"]["items"][0]}});
      }
    }
    return response(404, {{"error", {{"code", "not_found"}, {"message", "no route " + path}}}});
  }
};

// A person signed in with tastytrade: their access token is "tok-<user id>".
inline FakeBrokerAccess tastytrade_access() {
  FakeBrokerAccess access;
  access.signed_in_with = "tastytrade";
  access.token_for = [](const std::string& user) { return "tok-" + user; };
  return access;
}

struct Bench {
  FakeHost host;
  FakeBrokerAccess access = tastytrade_access();
  NullSink sink;
  FakeTasty tasty;
  NoElicitation outbound;
  mcp::Catalog catalog;
  mcp::Principal alice, bob;

  explicit Bench(bool trading = true) {
    app::Config config;
    config.raw = {{"TASTYTRADE_API_BASE", kBase}};
    config.trading_mode = trading ? app::TradingMode::Confirm : app::TradingMode::Disabled;
    logging::Logger log(sink, logging::LogLevel::kError);
    brokers::BrokerToolOptions options;
    options.rate_limit = false;
    options.trading = app::trading_rules(config.trading_mode);
    bmcp::tastytrade::add_tastytrade_tools(
        catalog, bmcp::tastytrade::tastytrade_endpoint(config.raw, config.server_version), access,
        log, options);
    resources::add_common_resources(catalog);
    prompts::add_prompts(catalog, "tastytrade");
    for (auto [p, id] : {std::pair{&alice, kAlice}, {&bob, kBob}}) {
      p->user_id = id;
      p->broker = "tastytrade";
      p->scope = "brokerage:read brokerage:trade";
      p->authenticated = true;
    }
    host.http = [this](const Json& req) { return tasty.answer(req); };
    for (const std::string& id : {kAlice, kBob})
      host.sql(
          "INSERT INTO users (id, provider, external_id, created_at, updated_at) VALUES (?, "
          "'tastytrade', ?, 0, 0)",
          Json::array({id, id}));
  }

  Json call(const std::string& name, Json args = Json::object(),
            const mcp::Principal* who = nullptr) {
    const mcp::ToolDefinition* t = catalog.find_tool(name);
    REQUIRE(t != nullptr);
    const mcp::Principal* p = who ? who : &alice;
    mcp::Outbound* out = &outbound;
    return host.run([t, args, p, out](Io& io) {
      return run_tool_handler(io, t, args, Json::object(), p, out);
    });
  }

  // Reads a resource (by exact URI or through a template); the text of its first content.
  Json read(const std::string& uri, const mcp::Principal* who = nullptr) {
    const mcp::Principal* p = who ? who : &alice;
    mcp::Outbound* out = &outbound;
    const mcp::Catalog* c = &catalog;
    return host.run([c, uri, p, out](Io& io) { return read_catalog_resource(io, c, uri, p, out); });
  }
  Json prompt(const std::string& name, std::map<std::string, std::string> args) {
    const mcp::PromptDefinition* pd = catalog.find_prompt(name);
    REQUIRE(pd != nullptr);
    const mcp::Principal* p = &alice;
    mcp::Outbound* out = &outbound;
    return host.run([pd, args, p, out](Io& io) { return get_prompt(io, pd, args, p, out); });
  }
  static Task<Json> get_prompt(Io& io, const mcp::PromptDefinition* pd,
                               std::map<std::string, std::string> args, const mcp::Principal* p,
                               mcp::Outbound* out) {
    mcp::RequestContext ctx(io, *p, *out, "2025-11-25", Json::object(), Json(), "info");
    Json r = co_await pd->get(ctx, args);
    co_return r;
  }
};

inline bool is_error(const Json& result) { return result.value("isError", false); }
inline const Json& structured(const Json& result) { return result["structuredContent"]; }

// No account number of either person anywhere in the serialized value.
inline bool leaks(const Json& value) {
  std::string s = dump_json(value);
  for (const std::string& n : {kAliceMain, kAliceRoth, kBobAcct, std::string("5WZ99999")})
    if (s.find(n) != std::string::npos) return true;
  return false;
}

}  // namespace bmcp::testing::tasty
