// Outbound HTTP with a read cap. The host reads at most `max_bytes` of an answer's body and
// fails the fetch with kFetchTooLarge as soon as a Content-Length or the streamed count
// passes it, never reading the rest (bindings/ABI.md "Limits"): no upstream can fill the
// module's memory, which grows and never shrinks. host::fetch (host_api.hpp) reads with
// kMaxFetchBodyBytes; a caller that expects less asks for less here.
#pragma once

#include "effects/host_api.hpp"

#include <cstdint>

namespace bmcp::host {

// Generous for the largest broker answers (option chains), finite: parsed, a document takes
// several times its size, and a Worker isolate has 128 MB.
inline constexpr std::int64_t kMaxFetchBodyBytes = 8 * 1024 * 1024;

// FetchResult::error_code when the body was larger than the cap.
inline constexpr const char* kFetchTooLarge = "too_large";

Task<FetchResult> fetch_at_most(Io& io, const http::Request& request, std::int64_t timeout_ms,
                                std::int64_t max_bytes);

}  // namespace bmcp::host
