// Listings serialized once (McpServer::listing_text): for every listing method of the
// production catalogs, both eras, every page and both kinds of grant, the kept text is
// byte for byte what serializing handle_request's answer gives, and a second request is
// served from what was kept.
#include <catch2/catch.hpp>

#include "app/production_catalogs.hpp"
#include "mcp/server.hpp"
#include "oauth/scopes.hpp"
#include "support/fake_host.hpp"
#include "support/production_catalogs.hpp"
#include "unit/brokers/schwab/schwab_harness.hpp"

using namespace bmcp;

namespace {

struct Served {
  std::string handled;  // dump_json of handle_request's answer
  std::optional<std::string> listed;
};

Task<Json> serve(Io& io, const mcp::Catalog* catalog, const mcp::Principal* principal,
                 mcp::RpcMessage m, std::string version, mcp::ServerOptions options, Served* out) {
  mcp::McpServer server(*catalog, options);
  mcp::SessionState session;
  session.protocol_version = version;
  mcp::NoOutbound none;
  mcp::RequestContext ctx(io, *principal, none, version, Json::object(), Json(), "");
  out->listed = server.listing_text(m, ctx);
  Json response = co_await server.handle_request(m, session, ctx);
  out->handled = dump_json(response);
  co_return Json();
}

}  // namespace

TEST_CASE("a listing's kept text is exactly its serialized answer", "[mcp][listing]") {
  testing::ProductionCatalogs production;
  const app::CatalogSet& set = production.set;
  testing::FakeHost host;

  mcp::Principal reader;
  reader.user_id = "schwab:someone";
  reader.broker = "schwab";
  reader.authenticated = true;
  reader.scope = std::string(oauth::kScopeRead);
  mcp::Principal trader = reader;
  trader.scope = std::string(oauth::kScopeRead) + " " + std::string(oauth::kScopeTrade);

  mcp::ServerOptions small_pages;
  small_pages.page_size = 7;  // several pages of tools
  for (const mcp::Catalog* catalog : {&set.schwab, &set.tastytrade}) {
    for (const mcp::Principal* who : {&reader, &trader}) {
      for (std::string version : {"2025-11-25", "2026-07-28"}) {
        for (std::string method :
             {"tools/list", "prompts/list", "resources/list", "resources/templates/list"}) {
          Json cursor = nullptr;
          for (int page = 0; page < 20; ++page) {
            INFO(method << " " << version << " page " << page << " scope " << who->scope);
            mcp::RpcMessage m;
            m.id = page % 2 ? Json("req-" + std::to_string(page)) : Json(page);
            m.method = method;
            if (!cursor.is_null()) m.params = {{"cursor", cursor}};
            Served served;
            host.run([=, &served](Io& io) {
              return serve(io, catalog, who, m, version, small_pages, &served);
            });
            REQUIRE(served.listed);
            CHECK(*served.listed == served.handled);
            auto answer = parse_json(served.handled);
            REQUIRE(answer);
            const Json* next = find_member((*answer)["result"], "nextCursor");
            if (!next) break;
            cursor = *next;
          }
        }
      }
    }
    // Everything above was built once per key: asking again adds nothing.
    const std::size_t kept = catalog->listing_texts.size();
    CHECK(kept > 0);
    mcp::RpcMessage again;
    again.id = 1;
    again.method = "tools/list";
    Served served;
    host.run([&](Io& io) {
      return serve(io, catalog, &trader, again, "2025-11-25", small_pages, &served);
    });
    CHECK(catalog->listing_texts.size() == kept);
  }
  SECTION("a read-only grant's listing never shows a tool that changes something") {
    mcp::RpcMessage m;
    m.id = 1;
    m.method = "tools/list";
    Served served;
    host.run([&](Io& io) {
      return serve(io, &set.schwab, &reader, m, "2025-11-25", mcp::ServerOptions{}, &served);
    });
    REQUIRE(served.listed);
    CHECK(served.listed->find("\"name\":\"placeOrder\"") == std::string::npos);
    CHECK(served.listed->find("\"name\":\"getAccounts\"") != std::string::npos);
  }
  SECTION("not a listing, or a cursor this server never issued: no kept text") {
    mcp::RpcMessage call;
    call.id = 1;
    call.method = "ping";
    Served served;
    host.run([&](Io& io) {
      return serve(io, &set.schwab, &trader, call, "2025-11-25", mcp::ServerOptions{}, &served);
    });
    CHECK(!served.listed);
    call.method = "tools/list";
    // One page, however its cursor is spelled: one kept text.
    const std::size_t before = set.schwab.listing_texts.size();
    for (std::string spelled : {"o0", "o00", "o000000"}) {
      call.params = {{"cursor", spelled}};
      host.run([&](Io& io) {
        return serve(io, &set.schwab, &trader, call, "2025-11-25", mcp::ServerOptions{}, &served);
      });
      CHECK(served.listed);
    }
    CHECK(set.schwab.listing_texts.size() <= before + 1);
    call.params = {{"cursor", "o99999"}};
    host.run([&](Io& io) {
      return serve(io, &set.schwab, &trader, call, "2025-11-25", mcp::ServerOptions{}, &served);
    });
    CHECK(!served.listed);
    CHECK_THAT(served.handled, Catch::Contains("unknown cursor"));
  }
}
