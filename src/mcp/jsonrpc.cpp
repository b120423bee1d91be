#include "mcp/jsonrpc.hpp"

namespace bmcp::mcp {
namespace {

bool valid_id(const Json& id) {
  // MCP narrows JSON-RPC: "id MUST be a string or integer" and "MUST NOT be null".
  return id.is_string() || id.is_number_integer() || id.is_number_unsigned();
}

}  // namespace

Classified classify(const Json& m) {
  if (!m.is_object())
    return make_error(nullptr, rpc_error::kInvalidRequest, "Invalid Request: not an object");
  const Json* version = find_member(m, "jsonrpc");
  const Json* id = find_member(m, "id");
  Json reply_id = (id && valid_id(*id)) ? *id : Json(nullptr);
  if (!version || *version != "2.0")
    return make_error(reply_id, rpc_error::kInvalidRequest,
                      "Invalid Request: jsonrpc must be \"2.0\"");

  const Json* method = find_member(m, "method");
  if (method) {
    if (!method->is_string())
      return make_error(reply_id, rpc_error::kInvalidRequest,
                        "Invalid Request: method must be a string");
    RpcMessage msg;
    msg.method = method->get<std::string>();
    if (const Json* params = find_member(m, "params")) {
      // MCP params are always objects (by-name); JSON-RPC also allows arrays, MCP does not.
      if (!params->is_object())
        return make_error(reply_id, rpc_error::kInvalidRequest,
                          "Invalid Request: params must be an object");
      msg.params = *params;
    }
    if (!id) {
      msg.kind = RpcMessage::Kind::Notification;
      return msg;
    }
    if (!valid_id(*id))
      return make_error(nullptr, rpc_error::kInvalidRequest,
                        "Invalid Request: id must be a string or an integer");
    msg.kind = RpcMessage::Kind::Request;
    msg.id = *id;
    return msg;
  }

  const Json* result = find_member(m, "result");
  const Json* error = find_member(m, "error");
  if ((result != nullptr) == (error != nullptr) || !id)
    return make_error(reply_id, rpc_error::kInvalidRequest,
                      "Invalid Request: neither a request, a notification nor a response");
  RpcMessage msg;
  msg.kind = RpcMessage::Kind::Response;
  msg.id = *id;
  msg.is_error = error != nullptr;
  msg.result = error ? *error : *result;
  return msg;
}

Json make_result(const Json& id, Json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

Json make_error(const Json& id, int code, std::string message, Json data) {
  Json error = {{"code", code}, {"message", std::move(message)}};
  if (!data.is_null()) error["data"] = std::move(data);
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

Json make_notification(std::string method, Json params) {
  return {{"jsonrpc", "2.0"}, {"method", std::move(method)}, {"params", std::move(params)}};
}

Json make_request(const Json& id, std::string method, Json params) {
  return {
      {"jsonrpc", "2.0"}, {"id", id}, {"method", std::move(method)}, {"params", std::move(params)}};
}

}  // namespace bmcp::mcp
