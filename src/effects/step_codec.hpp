// The wire contract between core and host, version 1 (documented in bindings/ABI.md).
// Pure encoding and decoding, so the contract is tested natively; bindings/ only moves
// the bytes. Any unknown version or malformed envelope is a clear error, never a guess.
#pragma once

#include "effects/call.hpp"

#include <optional>
#include <string>
#include <variant>

namespace bmcp {

inline constexpr int kWireVersion = 1;

struct StartEnvelope {
  std::int64_t now_ms = 0;
  Json event;  // {"type":"fetch"|"object.fetch"|"queue"|"workflow.step"|…, …}
};

struct ResumeEnvelope {
  std::int64_t now_ms = 0;
  std::vector<DeliveredOutcome> outcomes;
};

struct WireError {
  std::string message;
};

std::variant<StartEnvelope, WireError> decode_start(std::string_view text);
std::variant<ResumeEnvelope, WireError> decode_resume(std::string_view text);

std::string encode_step(std::uint32_t call_id, const Step& step);
std::string encode_wire_error(std::uint32_t call_id, std::string_view message);

}  // namespace bmcp
