#include "privacy/field_names.hpp"

#include <algorithm>
#include <array>

namespace bmcp::privacy {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

template <std::size_t N>
bool is_one_of(std::string_view name, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Exact names that are secrets but too short or too common to match as substrings
// ("code" inside "statusCode", "state" inside "estate").
constexpr std::array<std::string_view, 16> kExactSecretNames = {
    "code",       "authcode", "authorizationcode",
    "oauthcode",  "state",    "oauthstate",
    "session",    "sid",      "otp",
    "passphrase", "pin",      "auth",
    "signature",  "sig",      "clientassertion",
    "assertion"};

constexpr std::array<std::string_view, 14> kSecretNameParts = {
    "token",         "secret",    "password",      "passwd",     "credential",
    "cookie",        "sessionid", "apikey",        "privatekey", "signingkey",
    "encryptionkey", "verifier",  "authorization", "jwt"};

// A name containing "token" that describes a token rather than holding one.
constexpr std::array<std::string_view, 12> kDescriptiveSuffixes = {
    "type",      "types",  "endpoint", "url",       "uri",    "expiresin",
    "expiresat", "expiry", "count",    "supported", "method", "methods"};

constexpr std::array<std::string_view, 5> kHeaderSecretNames = {
    "authorization", "proxyauthorization", "cookie", "setcookie", "cookies"};

// "account" too: the tools' own views name an account there (a display name, which is
// never identifier-shaped), so an identifier there is an account the map does not know yet.
constexpr std::array<std::string_view, 15> kAccountFieldNames = {
    "account",   "accountnumber", "accountnumbers", "accountno",   "acctnumber",
    "acctno",    "accountid",     "accountids",     "accounthash", "accounthashes",
    "hashvalue", "acctid",        "accountnum",     "acctnum",     "accountkey"};

constexpr std::array<std::string_view, 7> kIdentityFieldNames = {"schwabclientcustomerid",
                                                                 "schwabclientcorrelid",
                                                                 "clientcustomerid",
                                                                 "clientcorrelid",
                                                                 "customerid",
                                                                 "externalid",
                                                                 "correlid"};

bool is_secret_normalized(std::string_view name) {
  if (name.empty()) return false;
  if (is_one_of(name, kExactSecretNames)) return true;
  bool has_part = std::any_of(kSecretNameParts.begin(), kSecretNameParts.end(),
                              [&](std::string_view part) { return contains(name, part); });
  if (!has_part) return false;
  // "token_type": "Bearer" and "token_endpoint": URL are metadata; a value that is itself a
  // secret would still be caught by the text rules (Bearer, JWT, long opaque strings).
  bool only_describes = std::any_of(
      kDescriptiveSuffixes.begin(), kDescriptiveSuffixes.end(),
      [&](std::string_view suffix) { return ends_with(name, suffix) && name != suffix; });
  if (only_describes && !contains(name, "secret") && !contains(name, "password")) return false;
  return true;
}

bool is_separator(char c) {
  return c == '_' || c == '-' || c == '.' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Field names are classified for every key of every payload, so the common case normalizes
// into a stack buffer instead of allocating. Names longer than the buffer use the slow path.
class NormalizedName {
 public:
  explicit NormalizedName(std::string_view name) {
    for (char c : name) {
      if (is_separator(c)) continue;
      if (length_ == buffer_.size()) {
        overflow_ = normalize_field_name(name);
        return;
      }
      buffer_[length_++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  std::string_view view() const {
    return overflow_.empty() ? std::string_view(buffer_.data(), length_) : overflow_;
  }

 private:
  std::array<char, 48> buffer_{};
  std::size_t length_ = 0;
  std::string overflow_;
};

}  // namespace

std::string normalize_field_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (is_separator(c)) continue;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

bool is_secret_field_name(std::string_view name) {
  return is_secret_normalized(NormalizedName(name).view());
}

bool is_header_secret_name(std::string_view name) {
  return is_one_of(NormalizedName(name).view(), kHeaderSecretNames);
}

bool is_status_code_text(std::string_view text) {
  if (text.empty() || text.size() > 40) return false;
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (std::all_of(text.begin(), text.end(), is_digit)) {
    return text.size() <= 6;  // HTTP and JSON-RPC codes, never an OAuth code
  }
  // SCREAMING_SNAKE starting with a letter. A long digit run could be an account number or
  // part of a credential, so such a value is not treated as a code.
  if (!(text.front() >= 'A' && text.front() <= 'Z')) return false;
  std::size_t digit_run = 0;
  for (char c : text) {
    digit_run = is_digit(c) ? digit_run + 1 : 0;
    if (digit_run > 4) return false;
    if (!((c >= 'A' && c <= 'Z') || c == '_' || is_digit(c))) return false;
  }
  return true;
}

bool is_status_code_value(const Json& value) {
  if (value.is_number_integer() || value.is_number_unsigned()) return true;
  if (!value.is_string()) return false;
  return is_status_code_text(value.get_ref<const std::string&>());
}

bool is_account_field_name(std::string_view name) {
  // Every account field name is at most 14 characters once normalized.
  if (name.size() > 40) return false;
  return is_one_of(NormalizedName(name).view(), kAccountFieldNames);
}

bool is_identity_field_name(std::string_view name) {
  if (name.size() > 40) return false;
  return is_one_of(NormalizedName(name).view(), kIdentityFieldNames);
}

}  // namespace bmcp::privacy
