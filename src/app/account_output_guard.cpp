#include "app/account_output_guard.hpp"

#include "mcp/request_context.hpp"
#include "privacy/account_scrubber.hpp"

namespace bmcp::app {

Task<std::optional<Json>> AccountOutputGuard::clean(mcp::RequestContext& context,
                                                    Json value) const {
  std::optional<privacy::AccountDisplayMap> cached;
  const std::string& user = context.principal().user_id;
  if (cached_map_ && !user.empty()) cached = co_await cached_map_(context.io(), user);
  const privacy::AccountDisplayMap accounts =
      cached ? std::move(*cached) : privacy::AccountDisplayMap();
  std::optional<Json> out = privacy::scrub_for_model(value, accounts);
  if (!out) {
    log_.log(logging::LogLevel::kError,
             "withheld an answer that still named an account after scrubbing", Json::object(),
             &accounts);
  }
  co_return out;
}

}  // namespace bmcp::app
