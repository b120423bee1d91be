// RequestContext: everything a tool, resource or prompt handler may use while it serves
// one MCP request — the call's Io (effects, clock, crypto), the principal, the client's
// declared capabilities, and the way back to the client (progress, log messages,
// elicitation, sampling). Handlers never see the transport.
#pragma once

#include "effects/io.hpp"
#include "mcp/outbound.hpp"
#include "mcp/output_guard.hpp"
#include "mcp/principal.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace bmcp::mcp {

struct ElicitationResult {
  // Pending: asked, and the answer will come with the client's retry of this request
  // (2026-07-28 input_required); the handler stops without doing anything.
  enum class Action { Accept, Decline, Cancel, Unsupported, NoAnswer, Pending };
  Action action = Action::Unsupported;
  Json content = Json::object();
};

class RequestContext {
 public:
  RequestContext(Io& io, const Principal& principal, Outbound& outbound,
                 std::string protocol_version, Json client_capabilities, Json progress_token,
                 std::string log_level)
      : io_(io),
        principal_(principal),
        outbound_(outbound),
        protocol_version_(std::move(protocol_version)),
        client_capabilities_(std::move(client_capabilities)),
        progress_token_(std::move(progress_token)),
        log_level_(std::move(log_level)) {}

  Io& io() { return io_; }
  const Principal& principal() const { return principal_; }
  const std::string& protocol_version() const { return protocol_version_; }
  const Json& client_capabilities() const { return client_capabilities_; }
  bool can_stream() const { return outbound_.can_stream(); }
  // Set by the dispatcher: every message sent to the client while the request is open
  // passes it (a message it withholds is not sent).
  void set_output_guard(const OutputGuard* guard) { guard_ = guard; }
  const OutputGuard* output_guard() const { return guard_; }
  // True when this call is the retry of an earlier round of the same request, with the
  // same arguments and person (2026-07-28 input_required, proven by the server's sealed
  // requestState): what that round checked and used up (a confirmation token) was checked.
  bool resumed() const { return resumed_; }
  void set_resumed(bool resumed) { resumed_ = resumed; }

  // Plain words the person should see with this call's result whatever the tool answers
  // (a broker sign-in about to end): tools/call appends each once, as a text block after
  // the tool's own content (mcp/server.cpp).
  void add_notice(std::string text) {
    if (text.empty()) return;
    for (const std::string& n : notices_)
      if (n == text) return;
    notices_.push_back(std::move(text));
  }
  const std::vector<std::string>& notices() const { return notices_; }

  // notifications/progress, only when the client asked for it with a progressToken;
  // progress must increase (basic/utilities/progress), which callers guarantee.
  Task<void> progress(double progress, std::optional<double> total, std::string message = {});
  // notifications/message, only at or above the level the client set.
  Task<void> log(std::string_view level, Json data, std::string logger = "broker-mcp");
  // True when the client declared form elicitation (client/elicitation: `{}` or `form`)
  // and this request can carry a server-to-client request to it.
  bool can_elicit() const;
  // elicitation/create in form mode (client/elicitation); never for secrets.
  Task<ElicitationResult> elicit(std::string message, Json requested_schema,
                                 std::int64_t timeout_ms, Question question);
  // (Overloads, not default arguments: a default argument of class type is a temporary in
  // the caller's co_await expression, which GCC 12 destroys twice.)
  Task<ElicitationResult> elicit(std::string message, Json requested_schema,
                                 std::int64_t timeout_ms = 300000) {
    return elicit(std::move(message), std::move(requested_schema), timeout_ms, Question());
  }
  // Any server-to-client request; nullopt on no answer. The raw response object
  // ({"result":…} or {"error":…}) is returned. A request the client did not declare it can
  // answer (elicitation, sampling, roots) is never sent: nullopt.
  Task<std::optional<Json>> request_client(std::string method, Json params, std::int64_t timeout_ms,
                                           Question question);
  Task<std::optional<Json>> request_client(std::string method, Json params,
                                           std::int64_t timeout_ms) {
    return request_client(std::move(method), std::move(params), timeout_ms, Question());
  }
  // Whether the client declared the capability that answers `method` (true for a method
  // no capability governs).
  bool client_declared(std::string_view method) const;

  // How the transport would deliver `result` (a JSON-RPC result object) as this request's
  // answer if the call failed before it could answer itself: the fallback of a critical
  // section (effects/critical_section.hpp, http::fallback). Set by the transport.
  using FinalAnswer = std::function<Json(Json result)>;
  void set_final_answer(FinalAnswer answer) { final_answer_ = std::move(answer); }
  // Null when the transport set none (the section still keeps the call from cancellation).
  Json final_answer(Json result) const {
    return final_answer_ ? final_answer_(std::move(result)) : Json();
  }

 private:
  Io& io_;
  const Principal& principal_;
  Outbound& outbound_;
  std::string protocol_version_;
  Json client_capabilities_;
  Json progress_token_;
  std::string log_level_;
  FinalAnswer final_answer_;
  const OutputGuard* guard_ = nullptr;
  bool resumed_ = false;
  std::vector<std::string> notices_;

  // The message as the guard lets it go, or nullopt when it must not be sent.
  Task<std::optional<Json>> guarded(Json message);
};

}  // namespace bmcp::mcp
