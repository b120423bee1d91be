#include "effects/step_codec.hpp"

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

std::variant<StartEnvelope, WireError> decode_start(std::string_view text) {
  auto doc = parse_json(text);
  if (!doc) return WireError{"start envelope is not valid JSON"};
  if (auto e = check_version(*doc)) return *e;
  StartEnvelope env;
  env.now_ms = get_int(*doc, "now").value_or(0);
  const Json* event = find_member(*doc, "event");
  if (!event || !event->is_object() || !get_string(*event, "type"))
    return WireError{"start envelope has no event with a \"type\""};
  env.event = std::move((*doc)["event"]);
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

namespace {

// Appends `text` as a JSON string. Bytes from 0x80 up pass as they are: the shim decodes
// the Step as UTF-8 (TextDecoder), which turns an invalid sequence into U+FFFD, as
// dump_json's `replace` would have.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + text.size() / 8 + 2);
  out.push_back('"');
  std::size_t plain = 0;  // start of the run of bytes copied as they are
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out.push_back('"');
}

// A finished call's HTTP response carries its body as one string, often the largest thing
// the core sends (a tools/list answer is tens of KB): it is written with the plain escaper
// above rather than through a copy into the Step's JSON and nlohmann's serializer.
std::optional<std::string> encode_response_step(std::uint32_t call_id, const Json& result) {
  if (!result.is_object() || get_string(result, "kind").value_or("") != "response") return std::nullopt;
  const Json* body = find_member(result, "body");
  if (!body || !body->is_string()) return std::nullopt;
  Json shell = Json::object();
  for (auto it = result.begin(); it != result.end(); ++it)
    if (it.key() != "body") shell[it.key()] = it.value();
  std::string text = dump_json(Json{{"v", kWireVersion}, {"call", call_id}, {"state", "done"}});
  std::string shell_text = dump_json(shell);
  text.pop_back();  // the closing brace of the Step
  text += ",\"result\":";
  shell_text.pop_back();  // the closing brace of the result
  text += shell_text;
  text += shell_text.size() > 1 ? ",\"body\":" : "\"body\":";
  append_json_string(text, body->get_ref<const std::string&>());
  text += "}}";
  return text;
}

}  // namespace

std::string encode_step(std::uint32_t call_id, const Step& step) {
  if (step.state == Step::State::Done)
    if (std::optional<std::string> text = encode_response_step(call_id, step.result)) return std::move(*text);
  Json out = {{"v", kWireVersion}, {"call", call_id}};
  switch (step.state) {
    case Step::State::Done:
      out["state"] = "done";
      out["result"] = step.result;
      break;
    case Step::State::Blocked: {
      out["state"] = "blocked";
      Json effects = Json::array();
      for (const auto& e : step.effects)
        effects.push_back({{"id", e.id}, {"kind", e.effect.kind}, {"args", e.effect.args}});
      out["effects"] = std::move(effects);
      if (step.critical) {
        out["critical"] = true;
        if (!step.fallback.is_null()) out["fallback"] = step.fallback;
      }
      break;
    }
    case Step::State::Failed:
      out["state"] = "error";
      out["error"] = step.error;
      break;
  }
  return dump_json(out);
}

std::string encode_wire_error(std::uint32_t call_id, std::string_view message) {
  Json out = {{"v", kWireVersion}, {"call", call_id}, {"state", "error"}, {"error", message}};
  return dump_json(out);
}

}  // namespace bmcp
