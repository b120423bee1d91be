// The output guard of a broker's catalog (mcp/output_guard.hpp): every answer, error,
// elicitation, resource and prompt is scrubbed with the person's cached account map
// (privacy/account_scrubber.hpp: account numbers, their forms without leading zeros or
// with separators, hashes; identity fields such as Schwab's customer and correlation ids
// dropped) and then checked once more. An answer that still names an account after
// scrubbing is withheld and logged (without the answer).
//
// Without a cached map (nobody has asked the broker yet) the field rules still apply:
// identity fields are dropped and account fields the map cannot place are shortened.
#pragma once

#include "effects/io.hpp"
#include "logging/logger.hpp"
#include "mcp/output_guard.hpp"
#include "privacy/account_display_map.hpp"

#include <functional>
#include <optional>
#include <string>

namespace bmcp::app {

class AccountOutputGuard final : public mcp::OutputGuard {
 public:
  // The person's cached map, or nullopt (no broker call: the guard never adds traffic).
  using CachedMap =
      std::function<Task<std::optional<privacy::AccountDisplayMap>>(Io&, std::string user_id)>;

  AccountOutputGuard(CachedMap cached_map, const logging::Logger& log)
      : cached_map_(std::move(cached_map)), log_(log) {}

  Task<std::optional<Json>> clean(mcp::RequestContext& context, Json value) const override;

 private:
  CachedMap cached_map_;
  logging::Logger log_;
};

}  // namespace bmcp::app
