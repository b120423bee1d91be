#include "privacy/account_scrubber.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "privacy/field_names.hpp"

namespace bmcp::privacy {
namespace {

constexpr std::size_t kMaxIdentifierShapedLength = 128;
// Replacing an identifier cannot create a new one (display names and tails contain none, and
// overlapping occurrences are merged), so one round suffices; the bound only guards that.
constexpr int kMaxReplacementRounds = 4;
constexpr std::string_view kUnresolvableText = "[REDACTED]";

std::string replacement_for(const AccountEntry& entry, IdentifierReplacement style) {
  switch (style) {
    case IdentifierReplacement::kDisplayName: return entry.display_name;
    case IdentifierReplacement::kMaskedTail: return masked_tail(entry.account_number);
  }
  return masked_tail(entry.account_number);
}

std::string replace_once(std::string_view text, const std::vector<IdentifierMatcher::Span>& spans,
                         const AccountDisplayMap& accounts, IdentifierReplacement style) {
  std::string out;
  out.reserve(text.size() + spans.size() * 16);
  std::size_t copied = 0;
  for (const auto& span : spans) {
    out.append(text.substr(copied, span.begin - copied));
    out += replacement_for(accounts.entry_of_pattern(span.pattern), style);
    copied = span.end;
  }
  out.append(text.substr(copied));
  return out;
}

// 10^(digits-1): the smallest magnitude with that many digits before the decimal point.
double smallest_with_digits(std::size_t digits) {
  double value = 1.0;
  for (std::size_t i = 1; i < digits; ++i) value *= 10.0;
  return value;
}

// The decimal text of a number that might hold an identifier, or nullopt when it cannot: its
// integer part has fewer digits than the shortest numeric identifier. Floats are examined by
// their integer part only; a price's decimals are not an account number. The magnitude test
// comes first because almost every number in a payload (prices, quantities) fails it.
std::optional<std::string> candidate_number_text(const Json& number, std::size_t min_digits) {
  if (min_digits == 0 || !number.is_number()) return std::nullopt;
  if (min_digits > 20) return std::nullopt;  // no 64-bit integer has that many digits
  double threshold = smallest_with_digits(min_digits);
  if (number.is_number_unsigned()) {
    auto value = number.get<std::uint64_t>();
    if (static_cast<double>(value) < threshold) return std::nullopt;
    return std::to_string(value);
  }
  if (number.is_number_integer()) {
    auto value = number.get<std::int64_t>();
    double magnitude = value < 0 ? -static_cast<double>(value) : static_cast<double>(value);
    if (magnitude < threshold) return std::nullopt;
    return std::to_string(value);
  }
  double value = number.get<double>();
  if (!std::isfinite(value) || std::fabs(value) < threshold) return std::nullopt;
  if (std::floor(value) == value && std::fabs(value) < 9.2e18) {
    return std::to_string(static_cast<std::int64_t>(value));
  }
  return dump_json(number);
}

// The value an account field holds, when the map could not place it: shortened, never whole,
// and in a form no display name has, so it can never be resolved to the wrong account.
std::optional<Json> unknown_account_value(const Json& value) {
  std::string text;
  if (value.is_string()) {
    text = value.get_ref<const std::string&>();
  } else if (value.is_number_integer() || value.is_number_unsigned()) {
    text = dump_json(value);
    if (!text.empty() && text.front() == '-') return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!is_identifier_shaped(text)) return std::nullopt;
  return Json("[unknown account " + masked_tail(text) + "]");
}

class Scrubber {
 public:
  explicit Scrubber(const AccountDisplayMap& accounts) : accounts_(accounts) {}

  Json scrub(const Json& value, std::size_t depth, bool in_account_field) const {
    if (depth > kMaxScrubDepth) return Json(kTooDeepPlaceholder);
    switch (value.type()) {
      case Json::value_t::object: {
        Json out = Json::object();
        Json::object_t& members = out.get_ref<Json::object_t&>();
        for (const auto& [key, member] : value.items()) {
          // Who the person is to the broker is never the model's business.
          if (is_identity_field_name(key)) continue;
          Json scrubbed = scrub(member, depth + 1, is_account_field_name(key));
          if (accounts_.matcher().contains_any(key)) {
            insert_with_unique_key(members, scrub_accounts_in_text(key, accounts_),
                                   std::move(scrubbed));
          } else {
            insert_with_unique_key(members, key, std::move(scrubbed));
          }
        }
        return out;
      }
      case Json::value_t::array: {
        Json out = Json::array();
        Json::array_t& elements = out.get_ref<Json::array_t&>();
        elements.reserve(value.size());
        // An array under an account field (accountNumbers: [...]) holds identifiers too.
        for (const Json& element : value) {
          elements.push_back(scrub(element, depth + 1, in_account_field));
        }
        return out;
      }
      case Json::value_t::string: {
        const std::string& text = value.get_ref<const std::string&>();
        if (accounts_.matcher().contains_any(text))
          return Json(scrub_accounts_in_text(text, accounts_));
        if (in_account_field) {
          if (auto unknown = unknown_account_value(value)) {
            return *unknown;
          }
        }
        return value;
      }
      case Json::value_t::number_integer:
      case Json::value_t::number_unsigned:
      case Json::value_t::number_float: {
        if (auto text = replace_identifiers_in_number(value, accounts_,
                                                      IdentifierReplacement::kDisplayName)) {
          return Json(std::move(*text));
        }
        if (in_account_field) {
          if (auto unknown = unknown_account_value(value)) {
            return *unknown;
          }
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
  const AccountDisplayMap& accounts_;
};

// Visits every value and every key without recursion, so any nesting depth can be checked.
// The visitors return true to stop early.
template <typename VisitValue, typename VisitKey>
bool any_node(const Json& root, VisitValue visit_value, VisitKey visit_key) {
  std::vector<std::pair<const Json*, bool>> pending{{&root, false}};
  while (!pending.empty()) {
    auto [node, in_account_field] = pending.back();
    pending.pop_back();
    if (visit_value(*node, in_account_field)) return true;
    if (node->is_object()) {
      for (const auto& [key, member] : node->items()) {
        if (visit_key(key)) return true;
        pending.emplace_back(&member, is_account_field_name(key));
      }
    } else if (node->is_array()) {
      for (const Json& element : *node) pending.emplace_back(&element, in_account_field);
    }
  }
  return false;
}

}  // namespace

void insert_with_unique_key(Json::object_t& members, const std::string& key, Json&& value) {
  // try_emplace leaves `value` untouched when the key is taken.
  if (members.try_emplace(key, std::move(value)).second) return;
  for (std::size_t n = 2;; ++n) {
    if (members.try_emplace(key + " [" + std::to_string(n) + "]", std::move(value)).second) return;
  }
}

std::string masked_tail(std::string_view identifier) {
  constexpr std::size_t kTail = 3;
  return "..." +
         std::string(identifier.substr(identifier.size() - std::min(kTail, identifier.size())));
}

bool is_identifier_shaped(std::string_view text) {
  if (text.size() < AccountDisplayMap::kMinIdentifierLength ||
      text.size() > kMaxIdentifierShapedLength) {
    return false;
  }
  for (char c : text) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum) return false;
  }
  return true;
}

std::string replace_account_identifiers(std::string_view text, const AccountDisplayMap& accounts,
                                        IdentifierReplacement style) {
  auto spans = accounts.matcher().find_all(text);
  if (spans.empty()) return std::string(text);
  std::string out = replace_once(text, spans, accounts, style);
  for (int round = 1; round < kMaxReplacementRounds; ++round) {
    spans = accounts.matcher().find_all(out);
    if (spans.empty()) return out;
    out = replace_once(out, spans, accounts, style);
  }
  return accounts.matcher().contains_any(out) ? std::string(kUnresolvableText) : out;
}

std::optional<std::string> replace_identifiers_in_number(const Json& number,
                                                         const AccountDisplayMap& accounts,
                                                         IdentifierReplacement style) {
  auto text = candidate_number_text(number, accounts.shortest_numeric_identifier());
  if (!text) return std::nullopt;
  std::size_t pattern = 0;
  if (accounts.matcher().matches_whole(*text, &pattern)) {
    return replacement_for(accounts.entry_of_pattern(pattern), style);
  }
  if (!accounts.matcher().contains_any(*text)) return std::nullopt;
  return replace_account_identifiers(*text, accounts, style);
}

std::string scrub_accounts_in_text(std::string_view text, const AccountDisplayMap& accounts) {
  std::size_t pattern = 0;
  if (accounts.matcher().matches_whole(text, &pattern)) {
    return accounts.entry_of_pattern(pattern).display_name;
  }
  return replace_account_identifiers(text, accounts, IdentifierReplacement::kDisplayName);
}

Json scrub_accounts(const Json& value, const AccountDisplayMap& accounts) {
  return Scrubber(accounts).scrub(value, 0, false);
}

namespace {

constexpr std::string_view kOmittedIdentity = "[omitted]";

// Values held by identity fields anywhere in `value` (checked without recursion).
std::vector<std::string> identity_values(const Json& value) {
  std::vector<std::string> out;
  std::vector<const Json*> pending{&value};
  while (!pending.empty()) {
    const Json* node = pending.back();
    pending.pop_back();
    if (node->is_object()) {
      for (const auto& [key, member] : node->items()) {
        if (!is_identity_field_name(key)) {
          pending.push_back(&member);
        } else if (member.is_string() || member.is_number_integer() ||
                   member.is_number_unsigned()) {
          std::string text = member.is_string() ? member.get<std::string>() : dump_json(member);
          if (text.size() >= AccountDisplayMap::kMinIdentifierLength)
            out.push_back(std::move(text));
        }
      }
    } else if (node->is_array()) {
      for (const Json& element : *node) pending.push_back(&element);
    }
  }
  return out;
}

std::string without_values(std::string text, const std::vector<std::string>& values) {
  for (const std::string& v : values) {
    for (auto at = text.find(v); at != std::string::npos;
         at = text.find(v, at + kOmittedIdentity.size())) {
      text.replace(at, v.size(), kOmittedIdentity);
    }
  }
  return text;
}

// `value` (already scrubbed, so bounded in depth) with every identity value removed from
// strings and keys.
Json remove_identity_values(const Json& value, const std::vector<std::string>& values) {
  if (value.is_string()) return Json(without_values(value.get<std::string>(), values));
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& element : value) out.push_back(remove_identity_values(element, values));
    return out;
  }
  if (!value.is_object()) return value;
  Json out = Json::object();
  Json::object_t& members = out.get_ref<Json::object_t&>();
  for (const auto& [key, member] : value.items())
    insert_with_unique_key(members, without_values(key, values),
                           remove_identity_values(member, values));
  return out;
}

}  // namespace

std::optional<Json> scrub_for_model(const Json& value, const AccountDisplayMap& accounts) {
  Json scrubbed = scrub_accounts(value, accounts);
  std::vector<std::string> identities = identity_values(value);
  if (!identities.empty()) scrubbed = remove_identity_values(scrubbed, identities);
  if (looks_like_leak(scrubbed, accounts)) return std::nullopt;
  return scrubbed;
}

bool looks_like_leak(const Json& value, const AccountDisplayMap& accounts) {
  const IdentifierMatcher& matcher = accounts.matcher();
  return any_node(
      value,
      [&](const Json& node, bool) {
        if (node.is_string()) return matcher.contains_any(node.get_ref<const std::string&>());
        if (node.is_number()) {
          return replace_identifiers_in_number(node, accounts, IdentifierReplacement::kMaskedTail)
              .has_value();
        }
        return false;
      },
      [&](const std::string& key) { return matcher.contains_any(key); });
}

bool mentions_unknown_account(const Json& value, const AccountDisplayMap& accounts) {
  auto ignore_keys = [](const std::string&) { return false; };
  return any_node(
      value,
      [&](const Json& node, bool in_account_field) {
        if (!in_account_field) return false;
        std::string text;
        if (node.is_string()) {
          text = node.get_ref<const std::string&>();
        } else if (node.is_number_integer() || node.is_number_unsigned()) {
          text = dump_json(node);
        } else {
          return false;
        }
        return is_identifier_shaped(text) && accounts.find_by_identifier(text) == nullptr;
      },
      ignore_keys);
}

}  // namespace bmcp::privacy
