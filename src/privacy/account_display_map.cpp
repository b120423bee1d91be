#include "privacy/account_display_map.hpp"

#include <algorithm>
#include <map>

namespace bmcp::privacy {
namespace {

constexpr std::size_t kMaxLabelLength = 32;
constexpr std::size_t kPlainTailLength = 3;
constexpr std::size_t kLongTailLength = 4;
// A longer tail is shown only when at least this many characters stay hidden behind "...".
constexpr std::size_t kMinLengthForLongTail = 2 * kLongTailLength;
constexpr std::size_t kMaxDigitRunInLabel = 4;
constexpr int kCurrentCacheVersion = 1;

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_ascii_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ascii_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string fold_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

// Brokers use letters and digits only (Schwab: digits and hex hashes; tastytrade: e.g.
// 5WX34382). Anything else is not an identifier we can promise to find again in text.
bool is_valid_identifier(std::string_view id) {
  return id.size() >= AccountDisplayMap::kMinIdentifierLength &&
         std::all_of(id.begin(), id.end(), is_ascii_alnum);
}

bool is_all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_ascii_digit);
}

std::string sanitize_label(std::string_view raw) {
  std::string label;
  bool pending_space = false;
  for (char c : raw) {
    bool allowed = is_ascii_alnum(c) || c == '&' || c == '\'' || c == '+' || c == '/' || c == '-';
    if (!allowed) {
      pending_space = true;
      continue;
    }
    if (label.empty() && c == '-') continue;  // "-...123" must stay the only separator
    std::size_t needed = (pending_space && !label.empty()) ? 2 : 1;
    if (label.size() + needed > kMaxLabelLength) break;
    if (needed == 2) label.push_back(' ');
    pending_space = false;
    label.push_back(c);
  }
  while (!label.empty() && (label.back() == ' ' || label.back() == '-')) label.pop_back();
  return label;
}

bool has_long_digit_run(std::string_view text) {
  std::size_t run = 0;
  for (char c : text) {
    run = is_ascii_digit(c) ? run + 1 : 0;
    if (run > kMaxDigitRunInLabel) return true;
  }
  return false;
}

std::string tail_of(std::string_view number, std::size_t length) {
  return std::string(number.substr(number.size() - std::min(length, number.size())));
}

}  // namespace

std::string AccountDisplayMap::normalize_display_name(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    // U+2026 HORIZONTAL ELLIPSIS: typed or autocorrected in place of "...".
    if (text.compare(i, 3, "\xE2\x80\xA6") == 0) {
      out += "...";
      i += 2;
      continue;
    }
    if (is_ascii_space(c) || c == '-' || c == '_') continue;
    out.push_back(lower(c));
  }
  return out;
}

AccountDisplayMap AccountDisplayMap::build(const std::vector<AccountIdentity>& accounts) {
  AccountDisplayMap map;

  // 1. Validate and merge by account number.
  std::map<std::string, std::size_t> index_by_number;
  for (const AccountIdentity& account : accounts) {
    std::string_view number = trim(account.account_number);
    if (!is_valid_identifier(number)) continue;
    std::string_view hash = trim(account.hash_value);
    if (!is_valid_identifier(hash)) hash = {};
    auto [it, inserted] = index_by_number.emplace(fold_case(number), map.entries_.size());
    if (inserted) {
      map.entries_.push_back(
          AccountEntry{std::string(number), std::string(hash), account.type, account.nickname, {}});
      continue;
    }
    AccountEntry& existing = map.entries_[it->second];
    if (existing.hash_value.empty()) existing.hash_value = std::string(hash);
    if (existing.type.empty()) existing.type = account.type;
    if (existing.nickname.empty()) existing.nickname = account.nickname;
  }
  // Names must not depend on the order the broker listed the accounts in.
  std::sort(map.entries_.begin(), map.entries_.end(),
            [](const AccountEntry& a, const AccountEntry& b) {
              return a.account_number < b.account_number;
            });

  // 2. Patterns for the matcher. A numeric number with leading zeros can come back from a
  //    broker as a JSON number, which drops the zeros, so that form is a pattern too.
  std::vector<std::string> patterns;
  for (std::size_t i = 0; i < map.entries_.size(); ++i) {
    const AccountEntry& entry = map.entries_[i];
    auto add = [&](std::string pattern) {
      if (is_all_digits(pattern) &&
          (map.shortest_numeric_ == 0 || pattern.size() < map.shortest_numeric_)) {
        map.shortest_numeric_ = pattern.size();
      }
      patterns.push_back(std::move(pattern));
      map.pattern_entry_.push_back(i);
    };
    add(entry.account_number);
    if (is_all_digits(entry.account_number)) {
      std::size_t zeros = entry.account_number.find_first_not_of('0');
      if (zeros != 0 && zeros != std::string::npos &&
          entry.account_number.size() - zeros >= kMinIdentifierLength) {
        add(entry.account_number.substr(zeros));
      }
    }
    if (!entry.hash_value.empty()) add(entry.hash_value);
  }
  map.matcher_ = IdentifierMatcher(patterns);

  // 3. Labels and plain names.
  std::vector<std::string> labels;
  for (const AccountEntry& entry : map.entries_) {
    std::string label = sanitize_label(entry.type);
    if (label.empty()) label = sanitize_label(entry.nickname);
    if (label.empty() || has_long_digit_run(label) || map.matcher_.contains_any(label)) {
      label = "Account";
    }
    labels.push_back(std::move(label));
  }
  auto name_with_tail = [&](std::size_t i, std::size_t tail_length) {
    return labels[i] + "-..." + tail_of(map.entries_[i].account_number, tail_length);
  };
  auto colliding_groups = [&]() {
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < map.entries_.size(); ++i) {
      groups[normalize_display_name(map.entries_[i].display_name)].push_back(i);
    }
    std::vector<std::vector<std::size_t>> colliding;
    for (auto& [name, members] : groups) {
      if (members.size() > 1) colliding.push_back(std::move(members));
    }
    return colliding;
  };
  for (std::size_t i = 0; i < map.entries_.size(); ++i) {
    map.entries_[i].display_name = name_with_tail(i, kPlainTailLength);
  }

  // 4. Same name: show one more character of each colliding number where that is safe.
  for (const auto& group : colliding_groups()) {
    for (std::size_t i : group) {
      if (map.entries_[i].account_number.size() >= kMinLengthForLongTail) {
        map.entries_[i].display_name = name_with_tail(i, kLongTailLength);
      }
    }
  }

  // 5. Still the same: ordinal suffixes. Members are in ascending index, which is ascending
  //    account number. Labels never contain '(' so a suffixed name cannot meet another name;
  //    the loop is only a guard for that reasoning.
  for (int round = 0; round < 4; ++round) {
    auto groups = colliding_groups();
    if (groups.empty()) break;
    for (const auto& group : groups) {
      for (std::size_t k = 1; k < group.size(); ++k) {
        AccountEntry& entry = map.entries_[group[k]];
        entry.display_name += " (" + std::to_string(k + 1) + ")";
      }
    }
  }
  return map;
}

const AccountEntry* AccountDisplayMap::find_by_display_name(std::string_view display_name) const {
  std::string wanted = normalize_display_name(display_name);
  if (wanted.empty()) return nullptr;
  for (const AccountEntry& entry : entries_) {
    if (normalize_display_name(entry.display_name) == wanted) return &entry;
  }
  return nullptr;
}

const AccountEntry* AccountDisplayMap::find_by_identifier(std::string_view number_or_hash) const {
  std::size_t pattern = 0;
  if (!matcher_.matches_whole(trim(number_or_hash), &pattern)) return nullptr;
  return &entry_of_pattern(pattern);
}

const AccountEntry* AccountDisplayMap::resolve(std::string_view input) const {
  if (const AccountEntry* entry = find_by_display_name(input)) return entry;
  return find_by_identifier(input);
}

std::optional<std::string_view> AccountDisplayMap::display_name_for(
    std::string_view number_or_hash) const {
  const AccountEntry* entry = find_by_identifier(number_or_hash);
  if (!entry) return std::nullopt;
  return std::string_view(entry->display_name);
}

bool AccountDisplayMap::contains_unknown(const std::vector<std::string>& identifiers) const {
  for (const std::string& id : identifiers) {
    if (trim(id).empty()) continue;
    if (!find_by_identifier(id)) return true;
  }
  return false;
}

Json AccountDisplayMap::to_json() const {
  Json accounts = Json::array();
  for (const AccountEntry& entry : entries_) {
    accounts.push_back(Json{{"account_number", entry.account_number},
                            {"hash_value", entry.hash_value},
                            {"type", entry.type},
                            {"nickname", entry.nickname}});
  }
  return Json{{"version", kCurrentCacheVersion}, {"accounts", std::move(accounts)}};
}

std::optional<AccountDisplayMap> AccountDisplayMap::from_json(const Json& cached) {
  if (get_int(cached, "version") != kCurrentCacheVersion) return std::nullopt;
  const Json* accounts = find_member(cached, "accounts");
  if (!accounts || !accounts->is_array()) return std::nullopt;
  std::vector<AccountIdentity> identities;
  for (const Json& item : *accounts) {
    auto number = get_string(item, "account_number");
    if (!number) return std::nullopt;
    AccountIdentity identity{*number, {}, {}, {}};
    // Optional members, but when present they must be strings.
    for (auto [key, field] :
         {std::pair{"hash_value", &identity.hash_value}, std::pair{"type", &identity.type},
          std::pair{"nickname", &identity.nickname}}) {
      const Json* value = find_member(item, key);
      if (!value || value->is_null()) continue;
      if (!value->is_string()) return std::nullopt;
      *field = value->get_ref<const std::string&>();
    }
    identities.push_back(std::move(identity));
  }
  return build(identities);
}

}  // namespace bmcp::privacy
