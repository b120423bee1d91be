// Building broker request URLs: RFC 3986 percent-encoding of path segments and query
// values, so symbols such as "$SPX", "BRK/B" or an OCC option symbol with spaces reach the
// broker intact.
#pragma once

#include <string>
#include <string_view>

namespace bmcp::upstream {

// Every byte except ALPHA / DIGIT / "-" / "." / "_" / "~" becomes %XX.
std::string percent_encode(std::string_view text);

// name=value pairs joined by '&', both sides percent-encoded, in insertion order.
class QueryString {
 public:
  QueryString& add(std::string_view name, std::string_view value);
  bool empty() const { return text_.empty(); }
  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

}  // namespace bmcp::upstream
