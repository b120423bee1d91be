#include "mcp/request_context.hpp"

#include "mcp/jsonrpc.hpp"
#include "mcp/session_state.hpp"

namespace bmcp::mcp {

Task<std::optional<Json>> RequestContext::guarded(Json message) {
  if (!guard_) co_return message;
  co_return co_await guard_->clean(*this, std::move(message));
}

Task<void> RequestContext::progress(double progress, std::optional<double> total,
                                    std::string message) {
  if (progress_token_.is_null() || !outbound_.can_stream()) co_return;
  Json params = {{"progressToken", progress_token_}, {"progress", progress}};
  if (total) params["total"] = *total;
  if (!message.empty()) params["message"] = std::move(message);
  Json note = make_notification("notifications/progress", std::move(params));
  auto cleaned = co_await guarded(std::move(note));
  if (!cleaned) co_return;
  co_await outbound_.send(std::move(*cleaned));
}

Task<void> RequestContext::log(std::string_view level, Json data, std::string logger) {
  auto wanted = log_severity(log_level_);
  auto severity = log_severity(level);
  if (!wanted || !severity || *severity < *wanted || !outbound_.can_stream()) co_return;
  Json params = {
      {"level", std::string(level)}, {"logger", std::move(logger)}, {"data", std::move(data)}};
  Json note = make_notification("notifications/message", std::move(params));
  auto cleaned = co_await guarded(std::move(note));
  if (!cleaned) co_return;
  co_await outbound_.send(std::move(*cleaned));
}

bool RequestContext::client_declared(std::string_view method) const {
  // basic/lifecycle#capability-negotiation: a server sends only the requests the client
  // declared it can answer.
  const char* capability = method == "elicitation/create"       ? "elicitation"
                           : method == "sampling/createMessage" ? "sampling"
                           : method == "roots/list"             ? "roots"
                                                                : nullptr;
  return !capability || find_member(client_capabilities_, capability) != nullptr;
}

Task<std::optional<Json>> RequestContext::request_client(std::string method, Json params,
                                                         std::int64_t timeout_ms,
                                                         Question question) {
  if (!outbound_.can_ask() || !client_declared(method)) co_return std::nullopt;
  // Elicitation messages and sampling prompts reach the person and the model: guarded like
  // every answer. A withheld request is not sent, which callers see as no answer.
  auto cleaned = co_await guarded(std::move(params));
  if (!cleaned) co_return std::nullopt;
  Json id = outbound_.request_id_for(question);
  Json message = make_request(id, std::move(method), std::move(*cleaned));
  bool sent = co_await outbound_.send(std::move(message));
  if (!sent) co_return std::nullopt;
  co_return co_await outbound_.await_reply(id, timeout_ms);
}

bool RequestContext::can_elicit() const {
  const Json* e = find_member(client_capabilities_, "elicitation");
  bool form = e && e->is_object() && (e->empty() || find_member(*e, "form"));
  return form && outbound_.can_ask();
}

Task<ElicitationResult> RequestContext::elicit(std::string message, Json requested_schema,
                                               std::int64_t timeout_ms, Question question) {
  ElicitationResult out;
  if (!can_elicit()) co_return out;  // Unsupported
  Json params = {{"message", std::move(message)}, {"requestedSchema", std::move(requested_schema)}};
  auto reply = co_await request_client("elicitation/create", std::move(params), timeout_ms,
                                       std::move(question));
  out.action = ElicitationResult::Action::NoAnswer;
  if (!reply && outbound_.defers_requests()) out.action = ElicitationResult::Action::Pending;
  if (!reply) co_return out;
  const Json* result = find_member(*reply, "result");
  if (!result) co_return out;
  auto action = get_string(*result, "action").value_or("");
  if (action == "accept") {
    out.action = ElicitationResult::Action::Accept;
    if (const Json* c = find_member(*result, "content"); c && c->is_object()) out.content = *c;
  } else if (action == "decline") {
    out.action = ElicitationResult::Action::Decline;
  } else if (action == "cancel") {
    out.action = ElicitationResult::Action::Cancel;
  }
  co_return out;
}

}  // namespace bmcp::mcp
