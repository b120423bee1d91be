#include "brokers/tool_params.hpp"

#include <charconv>
#include <set>
#include <string_view>

namespace bmcp::brokers {
namespace {

bool has_choices(const ToolParam& p) { return p.choices && *p.choices; }

// An integer enum's values, or nullopt when one of them is not an integer.
std::optional<Json> integer_choices(const char* choices) {
  Json values = Json::array();
  for (const std::string& text : split_choices(choices)) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    values.push_back(v);
  }
  return values;
}

Json strings(const ToolParam& p) {
  Json s = {{"type", "string"}};
  if (has_choices(p)) s["enum"] = split_choices(p.choices);
  return s;
}

// Why the row cannot be declared; empty when it can.
std::string_view problem(const ToolParam& p) {
  if (!p.name || !*p.name) return "a row without a name";
  const bool enumerated = p.type == ParamType::Enum || p.type == ParamType::IntegerEnum;
  if (enumerated && !has_choices(p)) return "an enum without values";
  if (p.type == ParamType::IntegerEnum && !integer_choices(p.choices)) return "not integers";
  if (p.minimum && p.maximum && *p.minimum > *p.maximum) return "minimum above maximum";
  return {};
}

// The properties and required names of `params`, or nullopt when a row is broken.
std::optional<std::pair<Json, Json>> members(std::span<const ToolParam> params) {
  Json props = Json::object(), required = Json::array();
  std::set<std::string_view> seen;
  for (const ToolParam& p : params) {
    if (!problem(p).empty() || !seen.insert(p.name).second) return std::nullopt;
    props[p.name] = param_schema(p);
    if (p.required) required.push_back(p.name);
  }
  return std::pair{std::move(props), std::move(required)};
}

}  // namespace

std::vector<std::string> split_choices(const char* choices) {
  std::vector<std::string> out;
  std::string cur;
  for (const char* c = choices; c && *c; ++c) {
    if (*c == '|') out.push_back(std::move(cur)), cur.clear();
    else cur.push_back(*c);
  }
  out.push_back(std::move(cur));
  return out;
}

Json param_schema(const ToolParam& p) {
  Json s;
  switch (p.type) {
    case ParamType::String: s = {{"type", "string"}}; break;
    case ParamType::Date: s = {{"type", "string"}, {"format", "date"}}; break;
    case ParamType::Integer: s = {{"type", "integer"}}; break;
    case ParamType::Number: s = {{"type", "number"}}; break;
    case ParamType::Boolean: s = {{"type", "boolean"}}; break;
    case ParamType::Enum: s = strings(p); break;
    case ParamType::IntegerEnum:
      s = {{"type", "integer"}, {"enum", integer_choices(p.choices).value_or(Json::array())}};
      break;
    case ParamType::StringArray: s = {{"type", "array"}, {"items", strings(p)}}; break;
    // One type per branch (not a `type` array): clients that map schemas onto a single-type
    // dialect (Gemini function declarations) accept anyOf.
    case ParamType::StringOrList:
      s = {{"anyOf",
            Json::array({{{"type", "string"}}, {{"type", "array"}, {"items", strings(p)}}})}};
      break;
    case ParamType::TextOrInteger:
      s = {{"anyOf", Json::array({{{"type", "string"}}, {{"type", "integer"}}})}};
      break;
    case ParamType::Array: s = {{"type", "array"}}; break;
    case ParamType::Object: s = {{"type", "object"}}; break;
  }
  if (p.minimum) s["minimum"] = *p.minimum;
  if (p.maximum) s["maximum"] = *p.maximum;
  if (p.min_length > 0) s["minLength"] = p.min_length;
  if (p.description) s["description"] = p.description;
  return s;
}

Json input_schema(std::span<const ToolParam> params) {
  auto m = members(params);
  if (!m) return Json();
  Json s = {
      {"type", "object"}, {"properties", std::move(m->first)}, {"additionalProperties", false}};
  if (!m->second.empty()) s["required"] = std::move(m->second);
  return s;
}

Json output_schema(std::span<const ToolParam> members_of_answer) {
  auto m = members(members_of_answer);
  if (!m) return Json();
  Json s = {{"type", "object"}, {"properties", std::move(m->first)}};
  if (!m->second.empty()) s["required"] = std::move(m->second);
  return s;
}

}  // namespace bmcp::brokers
