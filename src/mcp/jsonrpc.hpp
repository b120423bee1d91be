// JSON-RPC 2.0 (https://www.jsonrpc.org/specification) as MCP uses it
// (spec 2025-11-25 basic/index#messages): classifies one decoded message and builds
// responses. Guarantees: a request id is a string or an integer, never null; a
// notification is never answered; an invalid message yields the error the spec names.
#pragma once

#include "base/json.hpp"

#include <optional>
#include <string>
#include <variant>

namespace bmcp::mcp {

namespace rpc_error {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kResourceNotFound = -32002;  // MCP 2025-11-25 server/resources
inline constexpr int kConnectionClosed = -32000;  // transport-level, as the SDK uses it
inline constexpr int kSessionNotFound = -32001;
inline constexpr int kHeaderMismatch = -32020;                   // MCP 2026-07-28
inline constexpr int kMissingRequiredClientCapability = -32021;  // MCP 2026-07-28
inline constexpr int kUnsupportedProtocolVersion = -32022;       // MCP 2026-07-28
}  // namespace rpc_error

struct RpcMessage {
  enum class Kind { Request, Notification, Response };
  Kind kind = Kind::Request;
  Json id;  // Request / Response
  std::string method;
  Json params = Json::object();
  Json result;  // Response (result or error member, as received)
  bool is_error = false;
};

// Either a classified message, or the error response to send back for it.
using Classified = std::variant<RpcMessage, Json>;
Classified classify(const Json& message);

Json make_result(const Json& id, Json result);
Json make_error(const Json& id, int code, std::string message, Json data = nullptr);
Json make_notification(std::string method, Json params);
Json make_request(const Json& id, std::string method, Json params);

}  // namespace bmcp::mcp
