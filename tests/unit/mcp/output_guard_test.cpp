// The scrubbing choke point: whatever a tool, resource or prompt produces, and whatever it
// sends to the client while it runs (elicitation, progress, log messages), leaves the
// dispatcher only after the catalog's output guard — even when the handler did not scrub at
// all. Driven through McpServer with the production guard (app/account_output_guard.hpp)
// and the person's account map in the KV cache, as a tool call would find it.
#include <catch2/catch.hpp>

#include "app/account_output_guard.hpp"
#include "brokers/broker_accounts.hpp"
#include "mcp/server.hpp"
#include "privacy/account_display_map.hpp"
#include "support/fake_host.hpp"

#include <algorithm>
#include <cctype>

using namespace bmcp;

namespace {

const std::string kSchwabNumber = "28476123";
const std::string kSchwabHash = "9395F260FFE0BE90C392C629CE56C5BE7A07C60C0363363037EA880B7D64DB86";
const std::string kTastyNumber = "5WT10123";
const std::string kUser = "user-guard-1";

class CaptureSink final : public logging::LogSink {
 public:
  mutable std::vector<std::string> lines;
  void write(logging::LogLevel, std::string_view line) const override { lines.emplace_back(line); }
};

class RecordingOutbound final : public mcp::Outbound {
 public:
  std::vector<Json> sent;
  bool can_stream() const override { return true; }
  Task<bool> send(Json message) override {
    sent.push_back(std::move(message));
    co_return true;
  }
  Task<std::optional<Json>> await_reply(const Json&, std::int64_t) override {
    co_return Json{{"result", {{"action", "accept"}, {"content", {{"confirm", true}}}}}};
  }
  Json next_request_id() override { return static_cast<int>(sent.size()) + 100; }
};

// Handlers that echo `payload` everywhere they can, unscrubbed.
mcp::Catalog leaky_catalog(Json payload) {
  mcp::Catalog c;
  mcp::ToolDefinition tool;
  tool.name = "leaky";
  tool.description = "answers with whatever it was given";
  tool.handler = [payload](mcp::RequestContext& ctx, const Json&) -> Task<mcp::ToolResult> {
    co_await ctx.progress(1, 2, "working on " + dump_json(payload));
    co_await ctx.log("warning", payload);
    Json schema = {{"type", "object"}, {"properties", {{"confirm", {{"type", "boolean"}}}}}};
    mcp::ElicitationResult asked =
        co_await ctx.elicit("Send the order for " + dump_json(payload) + "?", std::move(schema));
    (void)asked;
    co_return mcp::ToolResult::structured_json(payload);
  };
  c.tools.push_back(tool);
  mcp::ToolDefinition failing;
  failing.name = "failing";
  failing.description = "fails naming the account";
  failing.handler = [payload](mcp::RequestContext&, const Json&) -> Task<mcp::ToolResult> {
    co_return mcp::ToolResult::error("Schwab said: " + dump_json(payload));
  };
  c.tools.push_back(failing);
  mcp::ResourceDefinition resource;
  resource.uri = "broker://leaky";
  resource.name = "leaky";
  resource.read = [payload](
                      mcp::RequestContext&, const std::string& uri,
                      const std::map<std::string, std::string>&) -> Task<mcp::ResourceContents> {
    co_return mcp::ResourceContents::text(uri, "application/json", dump_json(payload));
  };
  c.resources.push_back(resource);
  mcp::PromptDefinition prompt;
  prompt.name = "leaky";
  prompt.description = "a prompt that names the account";
  prompt.get = [payload](mcp::RequestContext&,
                         const std::map<std::string, std::string>&) -> Task<Json> {
    Json message = {{"role", "user"},
                    {"content", {{"type", "text"}, {"text", "Review " + dump_json(payload)}}}};
    co_return Json{{"messages", Json::array({message})}};
  };
  c.prompts.push_back(prompt);
  return c;
}

// A guard that withholds everything: the dispatcher must answer a plain error.
class WithholdingGuard final : public mcp::OutputGuard {
 public:
  Task<std::optional<Json>> clean(mcp::RequestContext&, Json) const override {
    co_return std::nullopt;
  }
};

struct GuardBench {
  testing::FakeHost host;
  CaptureSink sink;
  RecordingOutbound outbound;
  mcp::Catalog catalog;
  mcp::Principal principal;

  GuardBench(Json payload, std::string broker) : catalog(leaky_catalog(std::move(payload))) {
    principal.user_id = kUser;
    principal.broker = broker;
    principal.authenticated = true;
    logging::Logger log(sink, logging::LogLevel::kDebug);
    std::vector<privacy::AccountIdentity> ids;
    if (broker == "schwab") {
      ids.push_back({kSchwabNumber, kSchwabHash, "Individual", ""});
      host.kv_set(brokers::account_map_key(brokers::Broker::Schwab, kUser),
                  dump_json(privacy::AccountDisplayMap::build(ids).to_json()), 3600);
      catalog.output_guard = std::make_shared<const app::AccountOutputGuard>(
          brokers::cached_account_reader(brokers::Broker::Schwab, nullptr), log);
    } else {
      ids.push_back({kTastyNumber, "", "Individual", "Main"});
      host.kv_set("user:" + kUser + ":tastytrade:accounts",
                  dump_json(privacy::AccountDisplayMap::build(ids).to_json()), 3600);
      catalog.output_guard = std::make_shared<const app::AccountOutputGuard>(
          brokers::cached_account_reader(brokers::Broker::Tastytrade, nullptr), log);
    }
  }

  Json request(std::string method, Json params) {
    mcp::RpcMessage m;
    m.id = 7;
    m.method = std::move(method);
    m.params = std::move(params);
    const mcp::Catalog* c = &catalog;
    mcp::Principal* p = &principal;
    mcp::Outbound* out = &outbound;
    return host.run([c, m, p, out](Io& io) { return run(io, c, m, p, out); });
  }

  static Task<Json> run(Io& io, const mcp::Catalog* c, mcp::RpcMessage m, mcp::Principal* p,
                        mcp::Outbound* out) {
    mcp::McpServer server(*c);
    mcp::SessionState session;
    Json caps = {{"elicitation", Json::object()}};
    Json progress = 1;
    if (!m.params.contains("_meta")) m.params["_meta"] = {{"progressToken", progress}};
    mcp::RequestContext ctx(io, *p, *out, "2025-11-25", caps, progress, "debug");
    co_return co_await server.handle_request(m, session, ctx);
  }
};

std::string lowered(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Every spelling of the account number a broker or a person might use.
bool names_account(const Json& value, const std::string& number) {
  std::string text = lowered(dump_json(value));
  std::string digits;
  for (char c : text)
    if (c != '-' && c != '_') digits += c;
  return digits.find(lowered(number)) != std::string::npos;
}

}  // namespace

TEST_CASE("the dispatcher scrubs what a tool returns and sends even when the tool did not",
          "[mcp][privacy][guard]") {
  Json payload = {
      {"orderValidationResult",
       {{"warns",
         Json::array({{{"validationRuleName", "OptionLevel"},
                       {"message", "Account 28476123 is not approved for this option level"}}})},
        {"rejects", Json::array({{{"message", "Account 2847-6123 may not trade options"}}})}}},
      {"orderStrategy", {{"accountNumber", 28476123}}},
      {"path", "/trader/v1/accounts/" + kSchwabHash + "/orders"},
      {"streamerInfo", Json::array({{{"schwabClientCustomerId", "cust-secret-id"},
                                     {"schwabClientCorrelId", "corr-secret-id"},
                                     {"schwabClientChannel", "N9"}}})},
      {"note", "account 2847_6123, number 28476123999 and id x28476123y"}};
  GuardBench b(payload, "schwab");

  Json r = b.request("tools/call", {{"name", "leaky"}, {"arguments", Json::object()}});
  INFO(dump_json(r));
  REQUIRE(r.contains("result"));
  CHECK_FALSE(r["result"].value("isError", false));
  CHECK_FALSE(names_account(r, kSchwabNumber));
  CHECK_FALSE(names_account(r, kSchwabHash));
  std::string text = dump_json(r);
  CHECK(text.find("Individual-...123") != std::string::npos);
  CHECK(text.find("not approved for this option level") != std::string::npos);
  // Identity fields are dropped, from structuredContent and from its text.
  CHECK_FALSE(
      r["result"]["structuredContent"]["streamerInfo"][0].contains("schwabClientCustomerId"));
  CHECK_FALSE(r["result"]["structuredContent"]["streamerInfo"][0].contains("schwabClientCorrelId"));
  CHECK(text.find("cust-secret-id") == std::string::npos);
  CHECK(text.find("corr-secret-id") == std::string::npos);
  CHECK(text.find("schwabClientChannel") != std::string::npos);
  CHECK(r["id"] == 7);

  // Progress, the log message and the elicitation went out scrubbed too.
  REQUIRE(b.outbound.sent.size() == 3);
  bool elicited = false;
  for (const Json& m : b.outbound.sent) {
    INFO(dump_json(m));
    CHECK_FALSE(names_account(m, kSchwabNumber));
    elicited = elicited || m.value("method", "") == "elicitation/create";
  }
  CHECK(elicited);

  Json error = b.request("tools/call", {{"name", "failing"}, {"arguments", Json::object()}});
  INFO(dump_json(error));
  CHECK(error["result"].value("isError", false));
  CHECK_FALSE(names_account(error, kSchwabNumber));

  Json resource = b.request("resources/read", {{"uri", "broker://leaky"}});
  INFO(dump_json(resource));
  REQUIRE(resource.contains("result"));
  CHECK_FALSE(names_account(resource, kSchwabNumber));
  CHECK_FALSE(names_account(resource, kSchwabHash));

  Json prompt = b.request("prompts/get", {{"name", "leaky"}});
  INFO(dump_json(prompt));
  REQUIRE(prompt.contains("result"));
  CHECK_FALSE(names_account(prompt, kSchwabNumber));
  CHECK(dump_json(prompt).find("Individual-...123") != std::string::npos);
}

TEST_CASE("the dispatcher scrubs tastytrade account numbers in dry-run warnings and errors",
          "[mcp][privacy][guard]") {
  Json payload = {
      {"warnings",
       Json::array({{{"code", "account.option_level"},
                     {"message", "Account 5WT10123 is not approved for this option level"}}})},
      {"errors",
       Json::array({{{"code", "preflight"}, {"message", "5wt10123: insufficient buying power"}}})},
      {"order", {{"account-number", "5WT10123"}}},
      {"external-id", "U0001234567"},
      {"path", "/accounts/5WT10123/orders/dry-run"}};
  GuardBench b(payload, "tastytrade");
  for (const char* tool : {"leaky", "failing"}) {
    Json r = b.request("tools/call", {{"name", tool}, {"arguments", Json::object()}});
    INFO(dump_json(r));
    CHECK_FALSE(names_account(r, kTastyNumber));
    // Identity values are known by their field: removed wherever a structured answer holds
    // them (the failing tool has them only inside free text).
    if (std::string(tool) == "leaky") CHECK(dump_json(r).find("U0001234567") == std::string::npos);
    CHECK(dump_json(r).find("Individual-...123") != std::string::npos);
  }
  for (const Json& m : b.outbound.sent) CHECK_FALSE(names_account(m, kTastyNumber));
}

TEST_CASE("an answer the guard withholds becomes a plain error, never the answer",
          "[mcp][privacy][guard]") {
  Json payload = {{"message", "Account 28476123"}};
  GuardBench b(payload, "schwab");
  b.catalog.output_guard = std::make_shared<const WithholdingGuard>();

  Json r = b.request("tools/call", {{"name", "leaky"}, {"arguments", Json::object()}});
  INFO(dump_json(r));
  CHECK(r["id"] == 7);
  CHECK(r["result"].value("isError", false));
  CHECK(r["result"]["content"][0]["text"] == mcp::kWithheldMessage);
  CHECK(dump_json(r).find("28476123") == std::string::npos);
  // Withheld messages are not sent at all: no progress, log or elicitation went out.
  CHECK(b.outbound.sent.empty());

  Json resource = b.request("resources/read", {{"uri", "broker://leaky"}});
  CHECK(resource["error"]["code"] == mcp::rpc_error::kInternalError);
  CHECK(dump_json(resource).find("28476123") == std::string::npos);
  Json prompt = b.request("prompts/get", {{"name", "leaky"}});
  CHECK(prompt["error"]["code"] == mcp::rpc_error::kInternalError);
  // Listings carry only the catalog's static text and are not withheld.
  Json list = b.request("tools/list", Json::object());
  CHECK(list.contains("result"));
}
