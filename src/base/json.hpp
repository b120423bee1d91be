// JSON for the core: nlohmann/json built with JSON_NOEXCEPTION, plus accessors that
// never fail. Every read of untrusted JSON goes through these helpers: nlohmann's own
// throwing accessors (at(), get<T>() on the wrong type) would abort the module, so a
// hostile payload could take the whole instance down. These return nullopt/nullptr
// instead, and callers turn that into a precise protocol error.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bmcp {

using Json = nlohmann::json;

// Parses text; nullopt on any syntax error or on text that is not UTF-8.
std::optional<Json> parse_json(std::string_view text);

// Serializes; invalid UTF-8 inside strings is replaced, never fatal.
std::string dump_json(const Json& value);

// Member lookup on an object; nullptr when `object` is not an object or has no such key.
const Json* find_member(const Json& object, std::string_view key);

std::optional<std::string> get_string(const Json& object, std::string_view key);
std::optional<std::int64_t> get_int(const Json& object, std::string_view key);
std::optional<double> get_number(const Json& object, std::string_view key);
std::optional<bool> get_bool(const Json& object, std::string_view key);

// The value as a string / integer if it has exactly that JSON type.
std::optional<std::string> as_string(const Json& value);
std::optional<std::int64_t> as_int(const Json& value);

}  // namespace bmcp
