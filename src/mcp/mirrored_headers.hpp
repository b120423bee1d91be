// The HTTP headers a 2026-07-28 request mirrors from its JSON-RPC body
// (basic/transports/streamable-http, "Standard headers" and "Custom headers from tool
// parameters", SEP-2243): Mcp-Name for the tool, prompt or resource a request names, and
// Mcp-Param-<Name> for each tool argument whose inputSchema property is annotated
// `"x-mcp-header": "<Name>"`.
//
// Guarantees: a request whose headers and body disagree is refused (400, -32020
// HeaderMismatch) before anything runs — a gateway may have routed or authorized on the
// header while this server is about to act on the body (a confused deputy otherwise). A
// header value of the form "=?base64?<RFC 4648 base64>?=" is decoded strictly (wrong
// padding or a character outside the alphabet is refused); any other value is literal.
// Only declarations the spec allows are enforced: on a top-level property, of type string,
// integer or boolean, named by an RFC 9110 token unique without regard to case; a
// catalog's declarations are checked by its tests (param_header_declarations).
#pragma once

#include "base/json.hpp"
#include "http/http_message.hpp"
#include "mcp/jsonrpc.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bmcp::mcp {

// One tool argument mirrored into a header.
struct ParamHeader {
  std::string property;  // the argument (a top-level property of inputSchema)
  std::string name;      // the header is "Mcp-Param-" + name
  std::string type;      // "string", "integer" or "boolean"
};

struct ParamHeaderDeclarations {
  std::vector<ParamHeader> params;
  std::string problem;  // empty when every x-mcp-header annotation of the schema is valid
};

// The x-mcp-header annotations of a tool's inputSchema.
ParamHeaderDeclarations param_header_declarations(const Json& input_schema);

// The header value as the client meant it; nullopt when its base64 form is broken.
std::optional<std::string> decode_header_value(std::string_view value);

// Why Mcp-Name disagrees with the body (missing, or another name), or nullopt.
std::optional<std::string> name_header_problem(const http::Request& request,
                                               const RpcMessage& message);

// Why the Mcp-Param-* headers disagree with a tools/call's arguments, or nullopt.
std::optional<std::string> param_headers_problem(const http::Request& request,
                                                 const std::vector<ParamHeader>& params,
                                                 const Json& arguments);

}  // namespace bmcp::mcp
