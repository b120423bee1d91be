// The wire contract between core and host, version 2 (documented in bindings/ABI.md).
// Pure encoding and decoding, so the contract is tested natively; bindings/ only moves
// the bytes. Any unknown version or malformed envelope is a clear error, never a guess.
#pragma once

#include "effects/call.hpp"
#include "http/http_message.hpp"

#include <optional>
#include <string>
#include <variant>

namespace bmcp {

inline constexpr int kWireVersion = 2;

struct StartEnvelope {
  std::int64_t now_ms = 0;
  Json event;  // {"type":"fetch"|"object.fetch"|"queue"|"workflow.step"|…, …}
  // The event's HTTP request when it came in its compact form beside the JSON
  // (http/request_wire.hpp); otherwise the event's own "request" member, if any, is it.
  std::optional<http::Request> request;
};

struct ResumeEnvelope {
  std::int64_t now_ms = 0;
  std::vector<DeliveredOutcome> outcomes;
};

struct WireError {
  std::string message;
};

// `request`: the event's request in its compact form, or empty when the event has none.
std::variant<StartEnvelope, WireError> decode_start(std::string_view text,
                                                    std::string_view request = {});
std::variant<ResumeEnvelope, WireError> decode_resume(std::string_view text);

// A Step on the wire: its JSON, and the body of a finished call's HTTP response, which
// travels beside the JSON as it is, never escaped into it (bindings/ABI.md "Steps").
struct EncodedStep {
  std::string json;
  std::string body;
};
EncodedStep encode_step(std::uint32_t call_id, Step step);
std::string encode_wire_error(std::uint32_t call_id, std::string_view message);

}  // namespace bmcp
