#include "base/json.hpp"

#include "base/json_parse.hpp"

#include <cmath>

namespace bmcp {

// Depth-limited like every parse (base/json_parse.hpp).
std::optional<Json> parse_json(std::string_view text) { return parse_json_checked(text).value; }

std::string dump_json(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

const Json* find_member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end()) return nullptr;
  return &*it;
}

std::optional<std::string> as_string(const Json& value) {
  if (!value.is_string()) return std::nullopt;
  return value.get_ref<const std::string&>();
}

std::optional<std::int64_t> as_int(const Json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (value.is_number_float()) {
    // JSON has one number type: 3.0 is an integer to a client written in JavaScript.
    double d = value.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9007199254740992.0)
      return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

std::optional<std::string> get_string(const Json& object, std::string_view key) {
  const Json* v = find_member(object, key);
  return v ? as_string(*v) : std::nullopt;
}

std::optional<std::int64_t> get_int(const Json& object, std::string_view key) {
  const Json* v = find_member(object, key);
  return v ? as_int(*v) : std::nullopt;
}

std::optional<double> get_number(const Json& object, std::string_view key) {
  const Json* v = find_member(object, key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->get<double>();
}

std::optional<bool> get_bool(const Json& object, std::string_view key) {
  const Json* v = find_member(object, key);
  if (!v || !v->is_boolean()) return std::nullopt;
  return v->get<bool>();
}

}  // namespace bmcp
