// The compact form in which the host hands an event's HTTP request to the core, beside the
// start envelope's JSON rather than inside it (bindings/ABI.md "Events"): decoding it costs
// a scan for line ends instead of a JSON parse of every header and an unescape of the body.
//
//   <method> LF <url> LF <header count> LF (<name> LF <value> LF){count} <body: the rest>
//
// LF cannot occur in a method, a serialized URL, a header name or value (Fetch: a header
// value never holds LF, CR or NUL; the host refuses a request otherwise), so no field
// needs escaping; the body is everything after the last header, whatever it holds.
// Guarantees: the request is returned only when the text has exactly this shape (the count
// a decimal number, and that many name and value lines present) and the URL is an absolute
// http(s) URL; anything else is nullopt, never a partial request. The count is bounded by
// the text itself, so no header limit applies here beyond the platform's own.
#pragma once

#include "http/http_message.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace bmcp::http {

std::optional<Request> request_from_wire(std::string_view text);
// The compact form of `request` (what the host writes; for tests and tools).
std::string request_to_wire(const Request& request);

}  // namespace bmcp::http
