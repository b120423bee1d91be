#include "hub/announce.hpp"

#include "effects/host_api.hpp"
#include "hub/user_hub.hpp"

namespace bmcp::hub {

Task<bool> announce_resource_updated(Io& io, std::string user_id, std::string uri) {
  http::Request notice;
  notice.method = "POST";
  notice.url = "https://user-hub.internal/resource-updated";
  notice.parsed_url = *http::parse_url(notice.url);
  notice.headers.emplace_back("Content-Type", "application/json");
  notice.body = dump_json({{"uri", std::move(uri)}});
  host::FetchResult sent = co_await host::object_fetch(io, kUserHubBinding, std::move(user_id), notice);
  co_return sent.ok && sent.response.status == 200;
}

}  // namespace bmcp::hub
