#include "privacy/log_redaction.hpp"

#include <array>

#include "privacy/account_scrubber.hpp"
#include "privacy/field_names.hpp"
#include "privacy/secret_text_redaction.hpp"

namespace bmcp::privacy {
namespace {

constexpr std::string_view kTooDeepForLog = "[omitted: nested too deeply]";

// The value of a secret field. null and booleans hold no secret; error codes under `code`
// are kept because they are what a log reader needs.
Json secret_field_value(std::string_view name, const Json& value) {
  if (value.is_null() || value.is_boolean()) return value;
  if (normalize_field_name(name) == "code" && is_status_code_value(value)) return value;
  return Json(kRedacted);
}

// {"name": "Authorization", "value": "..."}: the secret is named by a sibling member.
bool names_a_secret_header(const Json& object) {
  for (std::string_view member : std::array<std::string_view, 3>{"name", "key", "header"}) {
    auto name = get_string(object, member);
    if (name && is_secret_field_name(*name)) return true;
  }
  return false;
}

class LogRedactor {
 public:
  explicit LogRedactor(const AccountDisplayMap* accounts) : accounts_(accounts) {}

  Json redact(const Json& value, std::size_t depth, bool in_account_field) const {
    if (depth > kMaxLogDepth) return Json(kTooDeepForLog);
    switch (value.type()) {
      case Json::value_t::object: return redact_object(value, depth);
      case Json::value_t::array: return redact_array(value, depth, in_account_field);
      case Json::value_t::string: {
        std::string text = redact_text_for_log(value.get_ref<const std::string&>(), accounts_);
        if (in_account_field && is_identifier_shaped(text)) return Json(masked_tail(text));
        return Json(std::move(text));
      }
      case Json::value_t::number_integer:
      case Json::value_t::number_unsigned:
      case Json::value_t::number_float: {
        if (accounts_) {
          if (auto text = replace_identifiers_in_number(value, *accounts_,
                                                        IdentifierReplacement::kMaskedTail)) {
            return Json(std::move(*text));
          }
        }
        if (in_account_field && !value.is_number_float()) {
          std::string text = dump_json(value);
          if (is_identifier_shaped(text)) return Json(masked_tail(text));
        }
        return value;
      }
      case Json::value_t::null:
      case Json::value_t::boolean:
      case Json::value_t::binary:
      case Json::value_t::discarded: return value;
    }
    return value;
  }

 private:
  Json redact_object(const Json& object, std::size_t depth) const {
    Json out = Json::object();
    Json::object_t& members = out.get_ref<Json::object_t&>();
    bool header_entry = names_a_secret_header(object);
    for (const auto& [key, member] : object.items()) {
      bool secret =
          is_secret_field_name(key) || (header_entry && normalize_field_name(key) == "value");
      Json redacted = secret ? secret_field_value(key, member)
                             : redact(member, depth + 1, is_account_field_name(key));
      insert_with_unique_key(members, redact_text_for_log(key, accounts_), std::move(redacted));
    }
    return out;
  }

  Json redact_array(const Json& array, std::size_t depth, bool in_account_field) const {
    Json out = Json::array();
    // Headers as entries: [["Authorization", "Bearer abc"], ["Accept", "*/*"]].
    if (array.size() == 2 && array[0].is_string() &&
        is_secret_field_name(array[0].get_ref<const std::string&>())) {
      const std::string& name = array[0].get_ref<const std::string&>();
      out.push_back(redact_text_for_log(name, accounts_));
      out.push_back(secret_field_value(name, array[1]));
      return out;
    }
    for (const Json& element : array) out.push_back(redact(element, depth + 1, in_account_field));
    return out;
  }

  const AccountDisplayMap* accounts_;
};

}  // namespace

std::string redact_text_for_log(std::string_view text, const AccountDisplayMap* accounts) {
  if (accounts) {
    // Identifiers first, so a hash in a URL reads "...344" rather than a bare "[REDACTED]".
    std::string without_accounts =
        replace_account_identifiers(text, *accounts, IdentifierReplacement::kMaskedTail);
    return mask_account_shaped_tokens(redact_secrets_in_text(without_accounts));
  }
  // Secrets first: shortening digit runs inside a token would split it into pieces too
  // short to be recognised as a token.
  return mask_long_digit_runs(mask_account_shaped_tokens(redact_secrets_in_text(text)));
}

Json redact_for_log(const Json& value, const AccountDisplayMap* accounts) {
  return LogRedactor(accounts).redact(value, 0, false);
}

}  // namespace bmcp::privacy
