#include "hub/announce.hpp"

#include "effects/host_api.hpp"
#include "hub/user_hub.hpp"

namespace bmcp::hub {

namespace {

http::Request hub_post(std::string path, const Json& body) {
  http::Request notice;
  notice.method = "POST";
  notice.url = "https://user-hub.internal" + path;
  notice.parsed_url = *http::parse_url(notice.url);
  notice.headers.emplace_back("Content-Type", "application/json");
  notice.body = dump_json(body);
  return notice;
}

}  // namespace

Task<bool> announce_resource_updated(Io& io, std::string user_id, std::string uri) {
  http::Request notice = hub_post("/resource-updated", {{"uri", std::move(uri)}});
  host::FetchResult sent =
      co_await host::object_fetch(io, kUserHubBinding, std::move(user_id), notice);
  co_return (sent.ok && sent.response.status == 200);
}

Task<bool> announce_session_subscriptions(Io& io, std::string user_id, std::string session_id,
                                          Json uris) {
  http::Request notice = hub_post("/session-subscriptions",
                                  {{"session", std::move(session_id)}, {"uris", std::move(uris)}});
  host::FetchResult sent =
      co_await host::object_fetch(io, kUserHubBinding, std::move(user_id), notice);
  co_return (sent.ok && sent.response.status == 200);
}

}  // namespace bmcp::hub
