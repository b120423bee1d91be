#include "privacy/secret_text_redaction.hpp"

#include <cstdint>
#include <vector>

#include "privacy/field_names.hpp"

namespace bmcp::privacy {
namespace {

constexpr std::size_t kMaxSecretNameLength = 64;
constexpr std::size_t kMinOpaqueSecretLength = 32;
constexpr std::size_t kMinJwtLongSegment = 16;
constexpr std::size_t kMinMaskedDigitRun = 8;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Characters of a field name as it appears in text: access_token, set-cookie.
bool is_name_char(char c) { return is_alnum(c) || c == '_' || c == '-'; }

// RFC 6750 b64token plus '@' and '%' (Schwab tokens end in '@', URL-encoded as %40).
bool is_credential_char(char c) {
  return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' ||
         c == '=' || c == '@' || c == '%';
}

bool is_base64_char(char c) { return is_alnum(c) || c == '+' || c == '/' || c == '='; }

// Characters of a dotted token (JWT) and of the segments between its dots.
bool is_token_char(char c) {
  return is_alnum(c) || c == '_' || c == '-' || c == '.' || c == '=' || c == '+' || c == '@' ||
         c == '%' || c == '~';
}
bool is_segment_char(char c) { return is_alnum(c) || c == '_' || c == '-' || c == '+' || c == '='; }

bool starts_with_ignoring_case(std::string_view text, std::size_t at, std::string_view word) {
  if (text.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (lower(text[at + i]) != word[i]) return false;
  }
  return true;
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool hyphen_slot = (i == 8 || i == 13 || i == 18 || i == 23);
    if (hyphen_slot ? text[i] != '-' : !is_hex(text[i])) return false;
  }
  return true;
}

// --- "Bearer x" / "Basic x" -------------------------------------------------------------------

std::string redact_auth_schemes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    bool at_word_start = (i == 0 || !is_alnum(text[i - 1]));
    bool bearer = at_word_start && starts_with_ignoring_case(text, i, "bearer");
    bool basic = at_word_start && !bearer && starts_with_ignoring_case(text, i, "basic");
    if (!bearer && !basic) {
      out.push_back(text[i++]);
      continue;
    }
    std::size_t scheme_end = i + (bearer ? 6 : 5);
    std::size_t credential = scheme_end;
    while (credential < text.size() && is_blank(text[credential])) ++credential;
    std::size_t end = credential;
    if (bearer) {
      while (end < text.size() && is_credential_char(text[end])) ++end;
    } else {
      while (end < text.size() && is_base64_char(text[end])) ++end;
    }
    bool separated = credential > scheme_end;
    bool is_auth_param = end < text.size() && text[end] == '"' && end > credential &&
                         text[end - 1] == '=';  // Bearer realm="..."
    bool looks_base64 = false;
    for (std::size_t k = credential; k < end; ++k) {
      char c = text[k];
      if (is_digit(c) || c == '+' || c == '/' || c == '=') looks_base64 = true;
    }
    bool redact = separated && end > credential && !is_auth_param &&
                  (bearer || (end - credential >= 8 && looks_base64)) &&
                  (end == text.size() || !is_alnum(text[end]));
    out.append(text.substr(i, credential - i));
    if (redact) {
      out += kRedacted;
      i = end;
    } else {
      i = credential;
    }
  }
  return out;
}

// --- name=value / "name": "value" / Header: value ---------------------------------------------

bool ends_unquoted_value(char c) {
  return is_blank(c) || c == '\n' || c == '\r' || c == '&' || c == ',' || c == ';' || c == '"' ||
         c == '\'' || c == '}' || c == ']' || c == ')' || c == '<' || c == '>' || c == '\\' ||
         c == '{' || c == '[';
}

std::string redact_named_values(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_name_char(text[i]) || (i > 0 && is_name_char(text[i - 1]))) {
      ++i;
      continue;
    }
    std::size_t name_end = i;
    while (name_end < text.size() && is_name_char(text[name_end])) ++name_end;
    std::size_t next_word = name_end;

    // Closing quote of the name, possibly JSON-escaped: access_token", access_token\"
    std::size_t k = name_end;
    while (k < text.size() && text[k] == '\\') ++k;
    if (k < text.size() && (text[k] == '"' || text[k] == '\'')) {
      ++k;
    } else {
      k = name_end;
    }
    while (k < text.size() && is_blank(text[k])) ++k;
    // Cheap test first: most words are not followed by a separator and need no lookup.
    if (k >= text.size() || (text[k] != ':' && text[k] != '=') ||
        name_end - i > kMaxSecretNameLength) {
      i = next_word;
      continue;
    }
    std::string_view name = text.substr(i, name_end - i);
    if (!is_secret_field_name(name)) {
      i = next_word;
      continue;
    }
    ++k;
    while (k < text.size() && is_blank(text[k])) ++k;

    std::size_t value_begin = k;
    std::size_t value_end = k;
    std::size_t quote_at = k;
    while (quote_at < text.size() && text[quote_at] == '\\') ++quote_at;
    if (quote_at < text.size() && (text[quote_at] == '"' || text[quote_at] == '\'')) {
      char quote = text[quote_at];
      value_begin = quote_at + 1;
      std::size_t close = text.find(quote, value_begin);
      value_end = (close == std::string_view::npos) ? text.size() : close;
      while (value_end > value_begin && text[value_end - 1] == '\\') --value_end;
    } else if (is_header_secret_name(name)) {
      // A cookie list or "Bearer abc": everything up to the end of the line.
      while (value_end < text.size() && text[value_end] != '\n' && text[value_end] != '\r' &&
             text[value_end] != '"') {
        ++value_end;
      }
      while (value_end > value_begin && is_blank(text[value_end - 1])) --value_end;
    } else {
      while (value_end < text.size() && !ends_unquoted_value(text[value_end])) ++value_end;
    }
    std::string_view value = text.substr(value_begin, value_end - value_begin);
    bool keep = value.empty() || value == kRedacted ||
                (normalize_field_name(name) == "code" && is_status_code_text(value));
    if (!keep) {
      out.append(text.substr(copied, value_begin - copied));
      out += kRedacted;
      copied = value_end;
    }
    i = std::max(value_end, next_word);
  }
  out.append(text.substr(copied));
  return out;
}

// --- JWTs and opaque credentials --------------------------------------------------------------

bool is_jwt_shaped(std::string_view token) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = token.find('.', start);
    segments.push_back(token.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (segments.size() < 3) return false;
  for (std::string_view segment : segments) {
    if (segment.empty()) return false;
  }
  bool json_header = segments[0].size() >= 10 && segments[0].substr(0, 3) == "eyJ";
  bool long_body =
      segments[1].size() >= kMinJwtLongSegment && segments[2].size() >= kMinJwtLongSegment;
  return json_header || long_body;
}

bool is_opaque_secret(std::string_view segment) {
  if (segment.size() < kMinOpaqueSecretLength || is_uuid(segment)) return false;
  bool letter = false;
  bool digit = false;
  for (char c : segment) {
    letter = letter || is_alpha(c);
    digit = digit || is_digit(c);
  }
  return letter && digit;
}

std::string redact_tokens(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_token_char(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_token_char(text[end])) ++end;
    // Sentence punctuation around a token is not part of it.
    std::size_t begin = i;
    while (begin < end && text[begin] == '.') ++begin;
    std::size_t stop = end;
    while (stop > begin && text[stop - 1] == '.') --stop;
    out.append(text.substr(i, begin - i));
    std::string_view token = text.substr(begin, stop - begin);
    if (is_jwt_shaped(token)) {
      out += kRedacted;
    } else {
      std::size_t k = 0;
      while (k < token.size()) {
        if (!is_segment_char(token[k])) {
          out.push_back(token[k++]);
          continue;
        }
        std::size_t segment_end = k;
        while (segment_end < token.size() && is_segment_char(token[segment_end])) ++segment_end;
        std::string_view segment = token.substr(k, segment_end - k);
        if (is_opaque_secret(segment)) {
          out += kRedacted;
        } else {
          out.append(segment);
        }
        k = segment_end;
      }
    }
    out.append(text.substr(stop, end - stop));
    i = end;
  }
  return out;
}

// --- long digit runs -------------------------------------------------------------------------

bool is_timestamp(std::string_view digits) {
  if (digits.size() > 19) return false;
  std::uint64_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  switch (digits.size()) {
    case 10: return value >= 1000000000ULL && value < 2147483648ULL;
    case 13: return value >= 1000000000000ULL && value < 4100000000000ULL;
    case 16: return value >= 1000000000000000ULL && value < 4100000000000000ULL;
    case 19: return value >= 1000000000000000000ULL && value < 4100000000000000000ULL;
    default: return false;
  }
}

bool is_occ_strike(std::string_view text, std::size_t begin, std::size_t end) {
  if (end - begin != 8 || begin < 7) return false;
  char side = text[begin - 1];
  if (side != 'C' && side != 'P') return false;
  for (std::size_t k = begin - 7; k < begin - 1; ++k) {
    if (!is_digit(text[k])) return false;
  }
  return begin == 7 || !is_digit(text[begin - 8]);
}

bool is_inside_uuid(std::string_view text, std::size_t begin, std::size_t end) {
  auto uuid_char = [](char c) { return is_hex(c) || c == '-'; };
  while (begin > 0 && uuid_char(text[begin - 1])) --begin;
  while (end < text.size() && uuid_char(text[end])) ++end;
  return is_uuid(text.substr(begin, end - begin));
}

// Digit groups joined by single hyphens from `begin` ("1234-5678", "555-123-4567"): where
// they end, their digits, and how many groups there are.
struct HyphenatedDigits {
  std::size_t end = 0;
  std::string digits;
  std::vector<std::size_t> groups;
};

HyphenatedDigits hyphenated_digits(std::string_view text, std::size_t begin) {
  HyphenatedDigits out;
  std::size_t i = begin;
  while (true) {
    std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) out.digits += text[i++];
    out.groups.push_back(i - start);
    out.end = i;
    if (i + 1 < text.size() && text[i] == '-' && is_digit(text[i + 1])) {
      ++i;
      continue;
    }
    return out;
  }
}

// YYYY-MM-DD (ISO 8601 calendar date): hyphenated digits that are plainly not an account.
bool is_calendar_date(const std::vector<std::size_t>& groups) {
  return groups.size() == 3 && groups[0] == 4 && groups[1] == 2 && groups[2] == 2;
}

// tastytrade account numbers: a digit, two or three letters, then digits ("5WT10123",
// "5YZ55555"); allowing 1-2 leading digits and 4-6 trailing ones covers the variants seen.
bool is_tastytrade_account_shape(std::string_view token) {
  std::size_t i = 0;
  std::size_t lead = 0, letters = 0, tail = 0;
  while (i < token.size() && is_digit(token[i])) ++i, ++lead;
  while (i < token.size() && is_alpha(token[i])) ++i, ++letters;
  while (i < token.size() && is_digit(token[i])) ++i, ++tail;
  return i == token.size() && lead >= 1 && lead <= 2 && letters >= 2 && letters <= 3 && tail >= 4 &&
         tail <= 6;
}

}  // namespace

std::string mask_account_shaped_tokens(std::string_view text) {
  std::string out;
  std::size_t copied = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_alnum(text[i]) || (i > 0 && is_alnum(text[i - 1]))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_alnum(text[end])) ++end;
    std::string_view token = text.substr(i, end - i);
    if (is_tastytrade_account_shape(token)) {
      if (out.empty()) out.reserve(text.size());
      out.append(text.substr(copied, i - copied));
      out += "...";
      out.append(token.substr(token.size() - 3));
      copied = end;
    }
    i = end;
  }
  if (copied == 0) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

std::string redact_secrets_in_text(std::string_view text) {
  return redact_tokens(redact_named_values(redact_auth_schemes(text)));
}

std::string mask_long_digit_runs(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    bool fraction = i >= 2 && text[i - 1] == '.' && is_digit(text[i - 2]);
    // Schwab writes account numbers hyphenated ("1234-5678"): 8+ digits in hyphen-joined
    // groups are one number, unless they are a calendar date or part of a UUID.
    HyphenatedDigits joined = hyphenated_digits(text, i);
    if (joined.groups.size() > 1 && joined.digits.size() >= kMinMaskedDigitRun && !fraction &&
        !is_calendar_date(joined.groups) && !is_inside_uuid(text, i, joined.end)) {
      out.append(text.substr(copied, i - copied));
      out += "...";
      out.append(joined.digits.substr(joined.digits.size() - 3));
      copied = joined.end;
      i = joined.end;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_digit(text[end])) ++end;
    std::string_view run = text.substr(i, end - i);
    bool integer_part = end + 1 < text.size() && text[end] == '.' && is_digit(text[end + 1]);
    bool keep = run.size() < kMinMaskedDigitRun || fraction || integer_part || is_timestamp(run) ||
                is_occ_strike(text, i, end) || is_inside_uuid(text, i, end);
    if (!keep) {
      out.append(text.substr(copied, i - copied));
      out += "...";
      out.append(run.substr(run.size() - 3));
      copied = end;
    }
    i = end;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace bmcp::privacy
