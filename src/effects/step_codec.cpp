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
  // Two passes: the size first, so the text is written once into its place.
  std::size_t extra = 0;
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f')
      extra += 1;
    else if (c < 0x20) extra += 5;
  }
  const std::size_t start = out.size();
  out.resize(start + text.size() + extra + 2);
  char* w = out.data() + start;
  *w++ = '"';
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != '"' && c != '\\') {
      *w++ = ch;
      continue;
    }
    *w++ = '\\';
    switch (c) {
      case '"': *w++ = '"'; break;
      case '\\': *w++ = '\\'; break;
      case '\n': *w++ = 'n'; break;
      case '\r': *w++ = 'r'; break;
      case '\t': *w++ = 't'; break;
      case '\b': *w++ = 'b'; break;
      case '\f': *w++ = 'f'; break;
      default:
        *w++ = 'u';
        *w++ = '0';
        *w++ = '0';
        *w++ = kHex[c >> 4];
        *w++ = kHex[c & 0xf];
    }
  }
  *w++ = '"';
}

// A finished call's HTTP response carries its body as one string, often the largest thing
// the core sends (a tools/list answer is tens of KB): it is written with the plain escaper
// above rather than through a copy into the Step's JSON and nlohmann's serializer.
std::optional<std::string> encode_response_step(std::uint32_t call_id, const Json& result) {
  if (!result.is_object() || get_string(result, "kind").value_or("") != "response")
    return std::nullopt;
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
    if (std::optional<std::string> text = encode_response_step(call_id, step.result))
      return std::move(*text);
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
