#include "brokers/upstream/url.hpp"

namespace bmcp::upstream {

std::string percent_encode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    bool keep = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
                u == '-' || u == '.' || u == '_' || u == '~';
    if (keep) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

QueryString& QueryString::add(std::string_view name, std::string_view value) {
  if (!text_.empty()) text_.push_back('&');
  text_ += percent_encode(name);
  text_.push_back('=');
  text_ += percent_encode(value);
  return *this;
}

}  // namespace bmcp::upstream
