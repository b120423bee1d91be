// Client ID Metadata Documents: which client_id URLs the server will fetch (SSRF guard),
// what a document must say, and the directory that fetches, validates and caches them
// (on the FakeHost: the document server is a scripted http.fetch).
#include "oauth/client_directory.hpp"
#include "oauth/client_metadata_document.hpp"
#include "support/fake_host.hpp"

#include <catch2/catch.hpp>

using namespace bmcp;
using namespace bmcp::oauth;
using namespace bmcp::testing;

namespace {

const std::string kUrl = "https://app.example.com/oauth/client.json";

Json document(const std::string& url = kUrl) {
  return {{"client_id", url},
          {"client_name", "Example App"},
          {"redirect_uris", {"https://app.example.com/callback", "http://127.0.0.1/cb"}},
          {"grant_types", {"authorization_code", "refresh_token"}},
          {"token_endpoint_auth_method", "none"}};
}

}  // namespace

TEST_CASE("which client_id URLs may be fetched", "[oauth][cimd]") {
  CHECK_FALSE(client_metadata_url_problem(kUrl, false));
  CHECK_FALSE(client_metadata_url_problem("https://app.example.com:8443/c?v=1", false));
  for (const char* bad :
       {"http://app.example.com/client.json", "https://app.example.com", "https://app.example.com/",
        "https://app.example.com/a#frag", "https://user@app.example.com/c",
        "https://app.example.com/a/../c", "https://10.0.0.1/c", "https://[::1]/c",
        "https://localhost/c", "https://127.0.0.1/c", "ftp://app.example.com/c", "https:///c",
        "https://app.example.com/a b"})
    CHECK(client_metadata_url_problem(bad, false));
  SECTION("loopback over http only when the deployment allows it") {
    CHECK(client_metadata_url_problem("http://127.0.0.1:9000/client.json", false));
    CHECK_FALSE(client_metadata_url_problem("http://127.0.0.1:9000/client.json", true));
    CHECK_FALSE(client_metadata_url_problem("http://localhost:9000/client.json", true));
    CHECK(client_metadata_url_problem("http://10.0.0.1:9000/client.json", true));
    CHECK(client_metadata_url_problem("http://127.0.0.1:9000/", true));
  }
  CHECK(is_client_metadata_url(kUrl));
  CHECK_FALSE(is_client_metadata_url("mcp_4f1c2a"));
  CHECK(client_metadata_host(kUrl) == "app.example.com");
}

TEST_CASE("what a client metadata document must say", "[oauth][cimd]") {
  SECTION("a good document is a public client with its metadata") {
    ClientDocumentCheck c = client_from_metadata_document(kUrl, dump_json(document()));
    REQUIRE(c.client);
    CHECK(c.client->client_id == kUrl);
    CHECK(c.client->secret_hash.empty());
    CHECK(c.client->auth_method() == "none");
    CHECK(c.client->client_name() == "Example App");
    CHECK(c.client->redirect_uris().size() == 2);
    CHECK(c.client->allows_grant("refresh_token"));
  }
  SECTION("no token_endpoint_auth_method means none") {
    Json d = document();
    d.erase("token_endpoint_auth_method");
    CHECK(client_from_metadata_document(kUrl, dump_json(d)).client);
  }
  SECTION("refusals") {
    auto problem = [](const Json& d, const std::string& url = kUrl) {
      return client_from_metadata_document(url, dump_json(d)).problem;
    };
    CHECK(problem(document("https://evil.example.com/oauth/client.json")).find("client_id") !=
          std::string::npos);
    Json d = document();
    d["client_secret"] = "s3cret";
    CHECK(problem(d).find("secret") != std::string::npos);
    d = document();
    d["token_endpoint_auth_method"] = "client_secret_basic";
    CHECK(problem(d).find("token_endpoint_auth_method") != std::string::npos);
    d = document();
    d["redirect_uris"] = {"http://app.example.com/callback"};
    CHECK(problem(d).find("not usable") != std::string::npos);
    d = document();
    d.erase("redirect_uris");
    CHECK_FALSE(problem(d).empty());
    CHECK_FALSE(client_from_metadata_document(kUrl, "[1]").client);
    CHECK_FALSE(client_from_metadata_document(kUrl, "not json").client);
    d = document();
    d["client_name"] = std::string(200, 'x');
    d["contacts"] = Json::array();
    d["padding"] = std::string(5000, 'p');
    CHECK(problem(d).find("5 KB") != std::string::npos);
  }
}

TEST_CASE("the client directory fetches, validates and caches documents", "[oauth][cimd]") {
  FakeHost host;
  ServerSettings settings;
  int fetches = 0;
  Json served = document();
  int status = 200;
  host.http = [&](const Json& req) -> Json {
    ++fetches;
    CHECK(req.value("url", "") == kUrl);
    CHECK(req.value("method", "") == "GET");
    return {{"status", status}, {"headers", Json::array()}, {"body", dump_json(served)}};
  };
  auto lookup = [&](const std::string& id) {
    Json r = host.run([&settings, id](Io& io) -> Task<Json> {
      ClientLookup found = co_await find_client(io, settings, id);
      co_return Json{{"status", static_cast<int>(found.status)},
                     {"id", found.client.client_id},
                     {"problem", found.problem}};
    });
    return r;
  };
  const int kFound = static_cast<int>(ClientLookup::Status::kFound);
  const int kUnusable = static_cast<int>(ClientLookup::Status::kUnusable);
  const int kUnavailable = static_cast<int>(ClientLookup::Status::kUnavailable);
  const int kUnknown = static_cast<int>(ClientLookup::Status::kUnknown);

  SECTION("found, then served from the cache for ten minutes") {
    CHECK(lookup(kUrl)["status"] == kFound);
    CHECK(lookup(kUrl)["id"] == kUrl);
    CHECK(fetches == 1);
    host.advance(kClientDocumentCacheSeconds * 1000 + 1);
    CHECK(lookup(kUrl)["status"] == kFound);
    CHECK(fetches == 2);
  }
  SECTION("a bad document or answer is unusable, remembered for a minute, then fetched again") {
    served["client_id"] = "https://elsewhere.example.com/c.json";
    CHECK(lookup(kUrl)["status"] == kUnusable);
    CHECK(lookup(kUrl)["status"] == kUnusable);
    CHECK(fetches == 1);
    host.advance(kClientDocumentFailureCacheSeconds * 1000 + 1);
    status = 404;
    served = document();
    Json r = lookup(kUrl);
    CHECK(r["status"] == kUnusable);
    CHECK(r["problem"].get<std::string>().find("404") != std::string::npos);
    CHECK(fetches == 2);
    for (int i = 0; i < 20; ++i) CHECK(lookup(kUrl)["problem"] == r["problem"]);
    CHECK(fetches == 2);
    host.advance(kClientDocumentFailureCacheSeconds * 1000 + 1);
    status = 200;
    CHECK(lookup(kUrl)["status"] == kFound);  // fixed documents are found again after the minute
    CHECK(fetches == 3);
  }
  SECTION("a URL that may not be fetched is never fetched") {
    CHECK(lookup("https://10.0.0.1/client.json")["status"] == kUnusable);
    CHECK(lookup("http://127.0.0.1:9/client.json")["status"] == kUnusable);
    CHECK(fetches == 0);
  }
  SECTION("a network failure is 'unavailable', not 'unknown', and is not retried at once") {
    host.http = [&](const Json&) {
      ++fetches;
      return Json{{"error", "network"}};
    };
    CHECK(lookup(kUrl)["status"] == kUnavailable);
    CHECK(lookup(kUrl)["status"] == kUnavailable);
    CHECK(fetches == 1);
  }
  SECTION("the document is read with its own 5 KB cap; a larger answer is refused unread") {
    served["client_name"] =
        std::string(100 * 1024, 'a');  // the FakeHost, like the shim, refuses it
    Json r = lookup(kUrl);
    CHECK(r["status"] == kUnusable);
    CHECK(r["problem"].get<std::string>().find("larger than 5 KB") != std::string::npos);
    REQUIRE(host.http_log.size() == 1);
    CHECK(host.http_log[0]["maxBytes"] ==
          static_cast<std::int64_t>(kMaxClientMetadataDocumentBytes));
  }
  SECTION("a document nested deeper than the JSON limit is refused, not copied") {
    std::string deep = "{\"client_id\":\"" + kUrl + "\",\"x\":" + std::string(2000, '[') +
                       std::string(2000, ']') + "}";
    host.http = [&](const Json&) -> Json {
      return {{"status", 200}, {"headers", Json::array()}, {"body", deep}};
    };
    Json r = lookup(kUrl);
    CHECK(r["status"] == kUnusable);
    CHECK(r["problem"].get<std::string>().find("not a JSON object") != std::string::npos);
  }
  SECTION("other client ids are looked up in D1") {
    CHECK(lookup("mcp_unknown")["status"] == kUnknown);
  }
}
