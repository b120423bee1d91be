// A Schwab tool bench for native tests: the Schwab catalog built against a fake broker
// sign-in and a fake Schwab API (the project's fixtures), run on the FakeHost with a
// controllable clock, and called like a client calls tools — with or without elicitation.
#pragma once

#include <catch2/catch.hpp>

#include "app/account_output_guard.hpp"
#include "brokers/broker_access.hpp"
#include "brokers/broker_accounts.hpp"
#include "app/config.hpp"
#include "brokers/schwab/schwab_accounts.hpp"
#include "brokers/schwab/schwab_api.hpp"
#include "mcp/catalog.hpp"
#include "mcp/server.hpp"
#include "support/fake_broker_access.hpp"
#include "support/fake_broker_api.hpp"
#include "support/fake_host.hpp"
#include "support/resource_reader.hpp"
#include "brokers/schwab/schwab_tools.hpp"

#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace bmcp::testing::schwab {

inline const std::string kNumberA = "28476123";
inline const std::string kHashA =
    "9395F260FFE0BE90C392C629CE56C5BE7A07C60C0363363037EA880B7D64DB86";
inline const std::string kNumberB = "40217123";
inline const std::string kHashB =
    "CE621CDA6928CE369D689EDDBE2ED17ACFE5C079A59F50DB13BB8164D9928301";
inline const std::string kNumberC = "51930456";
inline const std::string kHashC =
    "0114FE70C4702EC47B96A3168863BF21B029BEEECC652570D6CFA5352F3A42F3";
inline const std::string kNameA = "Individual-...6123";
inline const std::string kNameB = "Individual-...7123";
inline const std::string kNameC = "Roth IRA-...456";
inline const std::string kBase = "https://schwab.test";

// A Schwab OrderRequest: buy 10 AAPL at a limit (150 unless told), good for the day.
inline Json limit_buy(double price = 150) {
  return {{"orderType", "LIMIT"},
          {"session", "NORMAL"},
          {"duration", "DAY"},
          {"orderStrategyType", "SINGLE"},
          {"price", price},
          {"orderLegCollection",
           {{{"instruction", "BUY"},
             {"quantity", 10},
             {"instrument", {{"symbol", "AAPL"}, {"assetType", "EQUITY"}}}}}}};
}

inline Json fixture(const std::string& name) { return broker_fixture("schwab", name); }

// Signed in with token "tok-1"; invalidations are recorded.
// The broker-access double shared by every broker's tests (tests/support/fake_broker_access.hpp).
using testing::FakeBrokerAccess;

class CaptureSink final : public logging::LogSink {
 public:
  mutable std::vector<std::string> lines;
  void write(logging::LogLevel, std::string_view line) const override { lines.emplace_back(line); }
};

// Answers elicitation/create with `reply` ({"action":…,"content":…}); records requests.
class ScriptedOutbound final : public mcp::Outbound {
 public:
  bool streaming = true;
  Json reply = {{"action", "accept"}, {"content", {{"confirm", true}}}};
  std::vector<Json> sent;
  bool can_stream() const override { return streaming; }
  Task<bool> send(Json message) override {
    sent.push_back(std::move(message));
    co_return true;
  }
  Task<std::optional<Json>> await_reply(const Json&, std::int64_t) override {
    co_return Json{{"result", reply}};
  }
  Json next_request_id() override { return static_cast<int>(sent.size()) + 100; }
};

inline Json response(int status, const Json& body, Json headers = Json::array()) {
  headers.push_back(Json::array({"Schwab-Client-CorrelId", "corr-" + std::to_string(status)}));
  headers.push_back(Json::array({"Content-Type", "application/json"}));
  return http_answer(status, body, std::move(headers));
}

// The request's path (after the base) and query.
inline std::string path_of(const Json& req) { return request_path(req, kBase); }
inline std::string query_of(const Json& req) { return request_query(req); }

// A Schwab double with the fixtures: accounts, preferences, orders, previews, market data.
// Tests replace `route` to answer differently.
struct FakeSchwab : RoutedFake {
  int placed = 0, cancelled = 0, replaced = 0;

  Json answer(const Json& req) {
    std::string path = path_of(req);
    if (auto r = routed(req, path)) return *r;
    std::string method = req.value("method", "GET");
    bool authorized = false;
    for (const auto& h : req["headers"])
      if (h[0] == "Authorization" && h[1] == "Bearer tok-1") authorized = true;
    if (!authorized)
      return response(401, {{"message", "Unauthorized"}, {"errors", {"Unauthorized"}}});
    const std::string acct = "/trader/v1/accounts/";
    if (path == "/trader/v1/accounts/accountNumbers")
      return response(200, fixture("account_numbers.json"));
    if (path == "/trader/v1/userPreference") return response(200, fixture("user_preference.json"));
    if (path == "/trader/v1/accounts") return response(200, fixture("accounts.json"));
    if (path == "/trader/v1/orders") return response(200, Json::array({fixture("order.json")}));
    if (path.rfind(acct, 0) == 0) {
      std::string rest = path.substr(acct.size());
      std::string hash = rest.substr(0, rest.find('/'));
      std::string tail = rest.size() > hash.size() ? rest.substr(hash.size()) : "";
      int index = hash == kHashA ? 0 : hash == kHashB ? 1 : hash == kHashC ? 2 : -1;
      if (index < 0)
        return response(404, {{"message", "Account not found"},
                              {"errors", {"No account with the encrypted id " + hash}}});
      if (tail.empty()) {
        Json all = fixture("accounts.json");
        return response(200, index < 2 ? all[index] : all[0]);
      }
      if (tail == "/previewOrder") return response(200, fixture("preview.json"));
      if (tail == "/orders" && method == "POST") {
        ++placed;
        return response(201, nullptr,
                        Json::array({Json::array(
                            {"Location", kBase + acct + hash + "/orders/1000500000001"})}));
      }
      if (tail == "/orders") return response(200, Json::array({fixture("order.json")}));
      if (tail.rfind("/orders/", 0) == 0) {
        if (method == "DELETE") return ++cancelled, response(200, nullptr);
        if (method == "PUT") {
          ++replaced;
          return response(201, nullptr,
                          Json::array({Json::array(
                              {"Location", kBase + acct + hash + "/orders/1000500000002"})}));
        }
        return response(200, fixture("order.json"));
      }
      if (tail == "/transactions") return response(200, fixture("transactions.json"));
      if (tail.rfind("/transactions/", 0) == 0) return response(200, fixture("transactions.json"));
    }
    if (path == "/marketdata/v1/chains") return response(200, fixture("option_chain.json"));
    if (path.rfind("/marketdata/", 0) == 0) return response(200, {{"ok", true}, {"path", path}});
    return response(404, {{"message", "no route"}});
  }
};

struct ToolBench {
  FakeHost host;
  FakeBrokerAccess broker;
  CaptureSink sink;
  FakeSchwab schwab;
  ScriptedOutbound outbound;
  mcp::Catalog catalog;
  mcp::Principal principal;
  brokers::AccountMapCache* account_maps = nullptr;  // as given in the options

  explicit ToolBench(std::string trading_mode = "confirm",
                     brokers::BrokerToolOptions options = {}) {
    Json env = {{"SCHWAB_API_BASE", kBase}, {"TRADING_MODE", trading_mode}};
    app::Config config;
    config.raw = env;
    config.trading_mode = trading_mode == "disabled" ? app::TradingMode::Disabled
                          : trading_mode == "elicit" ? app::TradingMode::Elicit
                                                     : app::TradingMode::Confirm;
    logging::Logger log(sink, logging::LogLevel::kDebug);
    options.trading = app::trading_rules(config.trading_mode);
    account_maps = options.account_maps;
    bmcp::schwab::add_schwab_tools(catalog, bmcp::schwab::schwab_endpoint(config.raw), broker, log,
                                   options);
    principal.user_id = "schwab:cust-fake-001";
    principal.broker = "schwab";
    principal.scope = "brokerage:read brokerage:trade";
    principal.authenticated = true;
    host.http = [this](const Json& req) { return schwab.answer(req); };
  }

  const mcp::ToolDefinition* tool(const std::string& name) const { return catalog.find_tool(name); }

  // Calls a tool; `elicitation` says whether the client declared the capability.
  Json call(const std::string& name, Json args = Json::object(), bool elicitation = false) {
    const mcp::ToolDefinition* t = tool(name);
    REQUIRE(t != nullptr);
    Json caps = elicitation ? Json{{"elicitation", Json::object()}} : Json::object();
    mcp::Principal* p = &principal;
    mcp::Outbound* out = &outbound;
    return host.run(
        [t, args, caps, p, out](Io& io) { return run_tool_handler(io, t, args, caps, p, out); });
  }

  // Calls a tool the way a client does: through the dispatcher (McpServer) with the
  // production output guard, so the answer is what leaves the server.
  Json call_via_server(const std::string& name, Json args = Json::object(),
                       bool elicitation = false) {
    if (!catalog.output_guard) {
      logging::Logger log(sink, logging::LogLevel::kDebug);
      catalog.output_guard = std::make_shared<const app::AccountOutputGuard>(
          brokers::cached_account_reader(brokers::Broker::Schwab, account_maps), log);
    }
    Json caps = elicitation ? Json{{"elicitation", Json::object()}} : Json::object();
    mcp::RpcMessage m;
    m.id = 1;
    m.method = "tools/call";
    m.params = {{"name", name}, {"arguments", std::move(args)}};
    const mcp::Catalog* c = &catalog;
    mcp::Principal* p = &principal;
    mcp::Outbound* out = &outbound;
    Json response =
        host.run([c, m, caps, p, out](Io& io) { return run_server(io, c, m, caps, p, out); });
    REQUIRE(response.contains("result"));
    return response["result"];
  }

  static Task<Json> run_server(Io& io, const mcp::Catalog* c, mcp::RpcMessage m, Json caps,
                               mcp::Principal* p, mcp::Outbound* out) {
    mcp::McpServer server(*c);
    mcp::SessionState session;
    mcp::RequestContext ctx(io, *p, *out, "2025-11-25", std::move(caps), Json(), "info");
    co_return co_await server.handle_request(m, session, ctx);
  }

  // resources/read of `uri` as the signed-in person: the contents.
  Json read(const std::string& uri) {
    mcp::Outbound* out = &outbound;
    const mcp::Catalog* c = &catalog;
    const mcp::Principal* p = &principal;
    return host.run([c, uri, p, out](Io& io) { return read_catalog_resource(io, c, uri, p, out); });
  }

  // Requests Schwab saw, as "METHOD path?query".
  std::vector<std::string> requests() const {
    std::vector<std::string> out;
    for (const auto& r : host.http_log) {
      std::string q = query_of(r);
      out.push_back(r.value("method", "GET") + " " + path_of(r) + (q.empty() ? "" : "?" + q));
    }
    return out;
  }
};

inline std::string text_of(const Json& result) {
  return result["content"][0]["text"].get<std::string>();
}
inline bool is_error(const Json& result) { return result.value("isError", false); }

// No account number or hash, in any case, anywhere in the serialized value.
inline bool leaks(const Json& value) {
  std::string s = dump_json(value);
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& id : {kNumberA, kNumberB, kNumberC, kHashA, kHashB, kHashC})
    if (s.find(id) != std::string::npos) return true;
  return false;
}

}  // namespace bmcp::testing::schwab
