#include "effects/step_codec.hpp"

#include "http/request_wire.hpp"

#include <optional>
#include <string_view>

namespace bmcp {
namespace {

std::optional<WireError> check_version(const Json& doc) {
  if (!doc.is_object()) return WireError{"envelope is not a JSON object"};
  auto v = get_int(doc, "v");
  if (!v) return WireError{"envelope has no wire version \"v\""};
  if (*v != kWireVersion)
    return WireError{"unsupported wire version " + std::to_string(*v) + " (core speaks " +
                     std::to_string(kWireVersion) + ")"};
  return std::nullopt;
}

}  // namespace

std::variant<StartEnvelope, WireError> decode_start(std::string_view text,
                                                    std::string_view request) {
  auto doc = parse_json(text);
  if (!doc) return WireError{"start envelope is not valid JSON"};
  if (auto e = check_version(*doc)) return *e;
  StartEnvelope env;
  env.now_ms = get_int(*doc, "now").value_or(0);
  const Json* event = find_member(*doc, "event");
  if (!event || !event->is_object() || !get_string(*event, "type"))
    return WireError{"start envelope has no event with a \"type\""};
  env.event = std::move((*doc)["event"]);
  if (!request.empty()) {
    env.request = http::request_from_wire(request);
    if (!env.request) return WireError{"the event's request is not in the compact form"};
  }
  return env;
}

std::variant<ResumeEnvelope, WireError> decode_resume(std::string_view text) {
  auto doc = parse_json(text);
  if (!doc) return WireError{"resume envelope is not valid JSON"};
  if (auto e = check_version(*doc)) return *e;
  ResumeEnvelope env;
  env.now_ms = get_int(*doc, "now").value_or(0);
  const Json* results = find_member(*doc, "results");
  if (!results || !results->is_array()) return WireError{"resume envelope has no results array"};
  for (const Json& r : *results) {
    auto id = get_int(r, "id");
    auto ok = get_bool(r, "ok");
    if (!id || *id <= 0 || *id > UINT32_MAX || !ok)
      return WireError{"each result needs a positive integer \"id\" and a boolean \"ok\""};
    DeliveredOutcome d{static_cast<std::uint32_t>(*id), {}};
    if (*ok) {
      const Json* value = find_member(r, "value");
      d.outcome = EffectOutcome::success(value ? *value : Json());
    } else {
      const Json* err = find_member(r, "error");
      std::string code = err ? get_string(*err, "code").value_or("host") : "host";
      std::string message = err ? get_string(*err, "message").value_or("") : "";
      d.outcome = EffectOutcome::failure(std::move(code), std::move(message));
    }
    env.outcomes.push_back(std::move(d));
  }
  return env;
}

EncodedStep encode_step(std::uint32_t call_id, Step step) {
  EncodedStep encoded;
  // The body leaves the result (a move, not a copy): a tools/list answer is tens of KB, and
  // escaping it into the JSON and unescaping it in the host would cost more than the rest.
  if (step.state == Step::State::Done && step.result.is_object() &&
      get_string(step.result, "kind").value_or("") == "response") {
    auto body = step.result.find("body");
    if (body != step.result.end() && body->is_string()) {
      encoded.body = std::move(body->get_ref<std::string&>());
      step.result.erase(body);
    }
  }
  Json out = {{"v", kWireVersion}, {"call", call_id}};
  switch (step.state) {
    case Step::State::Done:
      out["state"] = "done";
      out["result"] = std::move(step.result);
      break;
    case Step::State::Blocked: {
      out["state"] = "blocked";
      Json effects = Json::array();
      for (auto& e : step.effects)
        effects.push_back(
            {{"id", e.id}, {"kind", std::move(e.effect.kind)}, {"args", std::move(e.effect.args)}});
      out["effects"] = std::move(effects);
      if (step.critical) {
        out["critical"] = true;
        if (!step.fallback.is_null()) out["fallback"] = std::move(step.fallback);
      }
      break;
    }
    case Step::State::Failed:
      out["state"] = "error";
      out["error"] = step.error;
      break;
  }
  encoded.json = dump_json(out);
  return encoded;
}

std::string encode_wire_error(std::uint32_t call_id, std::string_view message) {
  Json out = {{"v", kWireVersion}, {"call", call_id}, {"state", "error"}, {"error", message}};
  return dump_json(out);
}

}  // namespace bmcp
