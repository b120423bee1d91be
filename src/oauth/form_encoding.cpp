#include "oauth/form_encoding.hpp"

namespace bmcp::oauth {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(char c) {
  // RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~"
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

enum class DecodeFailure { None, BadPercentEscape, InvalidUtf8 };

DecodeFailure decode_component(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');  // WHATWG urlencoded parser: '+' is a space
    } else if (c == '%') {
      // RFC 3986 §2.1: pct-encoded = "%" HEXDIG HEXDIG; anything else is refused rather than
      // passed through, so two parsers can never read the same bytes differently.
      if (i + 2 >= text.size()) return DecodeFailure::BadPercentEscape;
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return DecodeFailure::BadPercentEscape;
      out.push_back(static_cast<char>((high << 4) | low));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return is_valid_utf8(out) ? DecodeFailure::None : DecodeFailure::InvalidUtf8;
}

ParsedForm failed(FormError error, std::string message) {
  ParsedForm form;
  form.error = error;
  form.message = std::move(message);
  return form;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    // RFC 3629 §4: the lead byte fixes the length and the range of the second byte, which
    // excludes overlong forms (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and
    // code points above U+10FFFF (F4 90.., F5..FF).
    std::size_t length = 0;
    unsigned char second_low = 0x80, second_high = 0xBF;
    if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      if (byte == 0xE0) second_low = 0xA0;
      if (byte == 0xED) second_high = 0x9F;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      if (byte == 0xF0) second_low = 0x90;
      if (byte == 0xF4) second_high = 0x8F;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    auto second = static_cast<unsigned char>(text[i + 1]);
    if (second < second_low || second > second_high) return false;
    for (std::size_t k = 2; k < length; ++k) {
      auto continuation = static_cast<unsigned char>(text[i + k]);
      if (continuation < 0x80 || continuation > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

std::optional<std::string> form_urldecode_component(std::string_view text) {
  std::string out;
  if (decode_component(text, out) != DecodeFailure::None) return std::nullopt;
  return out;
}

std::string form_urlencode_component(std::string_view text) {
  constexpr std::string_view digits = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (char c : text) {
    if (is_unreserved(c)) {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(digits[byte >> 4]);
      out.push_back(digits[byte & 0x0F]);
    }
  }
  return out;
}

std::string form_urlencode(const std::vector<FormParameter>& parameters) {
  std::string out;
  for (const FormParameter& parameter : parameters) {
    if (!out.empty()) out.push_back('&');
    out.append(form_urlencode_component(parameter.name));
    out.push_back('=');
    out.append(form_urlencode_component(parameter.value));
  }
  return out;
}

ParsedForm parse_form_urlencoded(std::string_view body, const FormLimits& limits) {
  if (body.size() > limits.max_bytes) return failed(FormError::TooLarge, "form body is too large");
  ParsedForm form;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view segment = body.substr(start, end - start);
    start = end + 1;
    if (segment.empty()) continue;

    if (form.parameters.size() >= limits.max_parameters)
      return failed(FormError::TooManyParameters, "too many parameters");
    std::size_t equals = segment.find('=');
    std::string_view raw_name = segment.substr(0, equals);
    std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view{} : segment.substr(equals + 1);

    FormParameter parameter;
    DecodeFailure name_failure = decode_component(raw_name, parameter.name);
    DecodeFailure value_failure = decode_component(raw_value, parameter.value);
    for (DecodeFailure failure : {name_failure, value_failure}) {
      if (failure == DecodeFailure::BadPercentEscape)
        return failed(FormError::BadPercentEscape, "malformed percent-escape");
      if (failure == DecodeFailure::InvalidUtf8)
        return failed(FormError::InvalidUtf8, "parameter is not valid UTF-8");
    }
    if (parameter.name.empty()) return failed(FormError::EmptyName, "parameter with an empty name");
    form.parameters.push_back(std::move(parameter));
  }
  return form;
}

ParsedForm parse_query_string(std::string_view query, const FormLimits& limits) {
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);
  return parse_form_urlencoded(query, limits);
}

std::string_view url_query(std::string_view url) {
  std::size_t fragment = url.find('#');
  if (fragment != std::string_view::npos) url = url.substr(0, fragment);
  std::size_t question = url.find('?');
  if (question == std::string_view::npos) return {};
  return url.substr(question + 1);
}

const std::string* ParsedForm::find(std::string_view name) const {
  for (const FormParameter& parameter : parameters)
    if (parameter.name == name) return &parameter.value;
  return nullptr;
}

std::optional<std::string_view> ParsedForm::oauth_parameter(std::string_view name) const {
  const std::string* value = find(name);
  if (value == nullptr || value->empty()) return std::nullopt;
  return std::string_view(*value);
}

bool ParsedForm::is_repeated(std::string_view name) const {
  std::size_t count = 0;
  for (const FormParameter& parameter : parameters)
    if (parameter.name == name && ++count > 1) return true;
  return false;
}

std::vector<std::string> ParsedForm::repeated_names() const {
  std::vector<std::string> repeated;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const std::string& name = parameters[i].name;
    bool seen_before = false;
    for (std::size_t k = 0; k < i && !seen_before; ++k) seen_before = parameters[k].name == name;
    if (seen_before) continue;
    for (std::size_t k = i + 1; k < parameters.size(); ++k) {
      if (parameters[k].name == name) {
        repeated.push_back(name);
        break;
      }
    }
  }
  return repeated;
}

}  // namespace bmcp::oauth
