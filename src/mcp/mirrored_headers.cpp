#include "mcp/mirrored_headers.hpp"

#include "crypto/base64.hpp"

#include <cctype>
#include <charconv>

namespace bmcp::mcp {
namespace {

// The body member the Mcp-Name header mirrors, for the methods that have one; null for
// every other method.
const char* mirrored_name_member(std::string_view method) {
  if (method == "tools/call" || method == "prompts/get") return "name";
  if (method == "resources/read") return "uri";
  return nullptr;
}

// RFC 9110 §5.6.2 token characters.
bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// True when an x-mcp-header annotation sits anywhere below `schema` (the spec allows one
// only directly on a property of the top-level inputSchema).
bool annotates_below(const Json& schema) {
  if (schema.is_object()) {
    for (auto it = schema.begin(); it != schema.end(); ++it)
      if (it.key() == "x-mcp-header" || annotates_below(it.value())) return true;
  } else if (schema.is_array()) {
    for (const Json& item : schema)
      if (annotates_below(item)) return true;
  }
  return false;
}

// Whether the decoded header text says the same as the argument.
bool same_value(const ParamHeader& param, const std::string& text, const Json& value) {
  if (param.type == "string") return value.is_string() && value.get<std::string>() == text;
  if (param.type == "boolean")
    return value.is_boolean() && text == (value.get<bool>() ? "true" : "false");
  // integer: compared as numbers, so 42 and 42.0 in the body agree with "42".
  std::int64_t header_number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), header_number);
  if (error != std::errc() || end != text.data() + text.size()) return false;
  if (value.is_number_integer()) return value.get<std::int64_t>() == header_number;
  if (value.is_number_float()) return value.get<double>() == static_cast<double>(header_number);
  return false;
}

// Whether the argument has the declared type (otherwise inputSchema validation answers it).
bool has_type(const ParamHeader& param, const Json& value) {
  if (param.type == "string") return value.is_string();
  if (param.type == "boolean") return value.is_boolean();
  return value.is_number_integer() ||
         (value.is_number_float() &&
          value.get<double>() == static_cast<std::int64_t>(value.get<double>()));
}

}  // namespace

ParamHeaderDeclarations param_header_declarations(const Json& input_schema) {
  ParamHeaderDeclarations out;
  const Json* properties = find_member(input_schema, "properties");
  for (auto it = input_schema.begin(); input_schema.is_object() && it != input_schema.end(); ++it)
    if (it.key() != "properties" && annotates_below(it.value())) {
      out.problem = "x-mcp-header is allowed only on a top-level property";
      return out;
    }
  if (!properties || !properties->is_object()) return out;
  std::vector<std::string> seen;
  for (auto it = properties->begin(); it != properties->end(); ++it) {
    const Json& property = it.value();
    if (!property.is_object()) continue;
    for (auto member = property.begin(); member != property.end(); ++member)
      if (member.key() != "x-mcp-header" && annotates_below(member.value())) {
        out.problem =
            "x-mcp-header is allowed only on a top-level property (found under " + it.key() + ")";
        return out;
      }
    const Json* annotation = find_member(property, "x-mcp-header");
    if (!annotation) continue;
    if (!annotation->is_string() || !is_token(annotation->get<std::string>())) {
      out.problem = "x-mcp-header of " + it.key() + " must be an RFC 9110 token";
      return out;
    }
    const std::string name = annotation->get<std::string>();
    auto type = get_string(property, "type");
    if (!type || (*type != "string" && *type != "integer" && *type != "boolean")) {
      out.problem = "x-mcp-header of " + it.key() + " needs type string, integer or boolean";
      return out;
    }
    for (const std::string& other : seen)
      if (other == lowered(name)) {
        out.problem = "x-mcp-header " + name + " is declared twice (header names ignore case)";
        return out;
      }
    seen.push_back(lowered(name));
    out.params.push_back({it.key(), name, *type});
  }
  return out;
}

std::optional<std::string> decode_header_value(std::string_view value) {
  constexpr std::string_view kPrefix = "=?base64?", kSuffix = "?=";
  if (value.size() < kPrefix.size() + kSuffix.size() ||
      value.substr(0, kPrefix.size()) != kPrefix ||
      value.substr(value.size() - kSuffix.size()) != kSuffix)
    return std::string(value);
  return crypto::base64_decode(
      value.substr(kPrefix.size(), value.size() - kPrefix.size() - kSuffix.size()));
}

std::optional<std::string> name_header_problem(const http::Request& request,
                                               const RpcMessage& message) {
  const char* member = mirrored_name_member(message.method);
  if (!member) return std::nullopt;
  auto named = get_string(message.params, member);
  if (!named) return std::nullopt;  // the method itself answers the missing member
  auto header = request.header("Mcp-Name");
  if (!header) return std::string("Header mismatch: Mcp-Name is required for ") + message.method;
  auto value = decode_header_value(http::trim_ows(*header));
  if (!value || *value != *named)
    return std::string("Header mismatch: Mcp-Name must equal params.") + member;
  return std::nullopt;
}

std::optional<std::string> param_headers_problem(const http::Request& request,
                                                 const std::vector<ParamHeader>& params,
                                                 const Json& arguments) {
  for (const ParamHeader& param : params) {
    const std::string header_name = "Mcp-Param-" + param.name;
    auto header = request.header(header_name);
    const Json* value = arguments.is_object() ? find_member(arguments, param.property) : nullptr;
    // A null or absent argument has no header; a header without its argument disagrees.
    if (!value || value->is_null()) {
      if (header)
        return "Header mismatch: " + header_name + " is sent but arguments." + param.property +
               " is not";
      continue;
    }
    if (!has_type(param, *value)) continue;  // inputSchema validation refuses the call
    if (!header)
      return "Header mismatch: " + header_name + " is required when arguments." + param.property +
             " is given";
    auto text = decode_header_value(http::trim_ows(*header));
    if (!text) return "Header mismatch: " + header_name + " is not valid =?base64?…?= text";
    if (!same_value(param, *text, *value))
      return "Header mismatch: " + header_name + " must equal arguments." + param.property;
  }
  return std::nullopt;
}

}  // namespace bmcp::mcp
