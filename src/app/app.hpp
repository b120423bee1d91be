// App: the whole server as one value — configuration, catalogs, and the entry point for
// every event the host delivers (a Worker fetch, a Durable Object fetch, …). It holds no
// per-request state, so any number of calls can run through one App concurrently.
#pragma once

#include "app/catalog_set.hpp"
#include "app/config.hpp"
#include "app/services.hpp"
#include "effects/io.hpp"
#include "http/http_message.hpp"
#include "oauth/bearer_check.hpp"

#include <memory>
#include <variant>

namespace bmcp::app {

class App {
 public:
  // Validates the configuration; the error list when it is unusable.
  static std::variant<std::unique_ptr<App>, std::vector<std::string>> create(
      const Json& env, const CatalogBuilder& build_catalogs,
      BuildFlavor flavor = BuildFlavor::Production, const logging::LogSink* log_sink = nullptr);

  // Serves one event (bindings/ABI.md "Events"); returns the call result. `request`: the
  // event's HTTP request when the host gave it apart from the JSON (its compact form);
  // otherwise the event's "request" member is read.
  Task<Json> handle(Io& io, Json event, std::optional<http::Request> request = std::nullopt) const;

  const Config& config() const { return config_; }

 private:
  App(Config config, Services services)
      : config_(std::move(config)), services_(std::move(services)) {}
  Task<Json> handle_fetch(Io& io, http::Request request) const;
  Task<Json> handle_mcp(Io& io, const http::Request& request) const;
  Task<Json> handle_authorize(Io& io, const http::Request& request) const;
  Task<Json> handle_hub(Io& io, const http::Request& request) const;
  Task<Json> handle_object_fetch(Io& io, const Json& object, http::Request request) const;
  // Someone signed in through this isolate: the broker tokens and account maps it
  // remembered are read from storage again.
  void forget_remembered_signins() const;
  oauth::BearerMemory bearer_memory() const;

  Config config_;
  Services services_;  // before catalogs_: handlers hold references into it
  CatalogSet catalogs_;
};

}  // namespace bmcp::app
