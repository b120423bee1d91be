#include "mcp/stream_resumption.hpp"

#include "crypto/hex.hpp"
#include "effects/host_api.hpp"
#include "http/call_result.hpp"
#include "mcp/sse.hpp"

namespace bmcp::mcp {
namespace {

constexpr std::size_t kStreamIdLength = 12;

bool is_stream_id(std::string_view s) {
  if (s.size() != kStreamIdLength) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// The request's own answer ends its stream: a response (id and result or error), not a
// server-to-client request or a notification (JSON-RPC 2.0 §5).
bool ends_stream(const std::string& data) {
  auto message = parse_json(data);
  return message && message->is_object() && message->contains("id") &&
         !message->contains("method") &&
         (message->contains("result") || message->contains("error"));
}

}  // namespace

std::string new_stream_id(Io& io) {
  return crypto::hex_encode(io.crypto().random_bytes(kStreamIdLength / 2));
}

std::string event_id(std::string_view stream, std::int64_t seq) {
  return std::string(stream) + "-" + std::to_string(seq);
}

std::optional<EventPosition> parse_event_id(std::string_view id) {
  auto dash = id.find('-');
  if (dash == std::string_view::npos || !is_stream_id(id.substr(0, dash))) return std::nullopt;
  std::string_view digits = id.substr(dash + 1);
  if (digits.empty() || digits.size() > 9) return std::nullopt;
  std::int64_t seq = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    seq = seq * 10 + (c - '0');
  }
  return EventPosition{std::string(id.substr(0, dash)), seq};
}

std::string replay_key(std::string_view stream, std::int64_t seq) {
  return "event:" + event_id(stream, seq);
}

Task<Json> resume_stream(Io& io, std::string session_id, EventPosition after) {
  http::Response head = sse_response_head(session_id);
  bool opened = co_await host::response_start(io, head);
  if (!opened) co_return http::streamed();
  for (std::int64_t seq = after.seq + 1;; ++seq) {
    std::optional<Json> event =
        co_await host::mailbox_wait(io, replay_key(after.stream, seq), kResumeWaitMs);
    if (!event || !event->is_string())
      break;  // nothing more within the wait: the client may resume again
    const std::string data = event->get<std::string>();
    bool written =
        co_await host::response_write(io, sse_event(data, "message", event_id(after.stream, seq)));
    if (!written || ends_stream(data)) break;
  }
  co_return http::streamed();
}

}  // namespace bmcp::mcp
