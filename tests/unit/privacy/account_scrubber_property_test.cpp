// Property: for random JSON trees with account identifiers hidden in odd places, scrubbing
// removes every identifier (as value, key, number or substring) and changes nothing else.
// The generator builds the expected output alongside the input, so "nothing else changed"
// is checked exactly.
#include <catch2/catch.hpp>

#include <cctype>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "base/json.hpp"
#include "privacy/account_display_map.hpp"
#include "privacy/account_scrubber.hpp"

using bmcp::Json;
using bmcp::privacy::AccountDisplayMap;
using bmcp::privacy::AccountIdentity;

namespace {

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct Identifier {
  std::string text;
  std::string display_name;
  bool numeric;
};

struct Sample {
  Json input;
  Json expected;
};

class TreeGenerator {
 public:
  TreeGenerator(std::mt19937& rng, const AccountDisplayMap& accounts) : rng_(rng) {
    for (const auto& entry : accounts.entries()) {
      identifiers_.push_back(
          {entry.account_number, entry.display_name, is_numeric(entry.account_number)});
      std::size_t zeros = entry.account_number.find_first_not_of('0');
      if (identifiers_.back().numeric && zeros > 0) {
        identifiers_.push_back({entry.account_number.substr(zeros), entry.display_name, true});
      }
      if (!entry.hash_value.empty()) {
        identifiers_.push_back({entry.hash_value, entry.display_name, false});
      }
    }
  }

  // Every identifier as it must never appear in scrubbed output.
  const std::vector<Identifier>& identifiers() const { return identifiers_; }

  Sample tree(int depth) {
    int choice = depth <= 0 ? 0 : pick(0, 9);
    if (choice <= 2) return leaf();
    return choice <= 5 ? array(depth) : object(depth);
  }

  bool inserted_identifier() const { return inserted_; }
  void reset() { inserted_ = false; }

 private:
  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }

  static bool is_numeric(const std::string& text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  }

  static bool is_separator(char c) { return c == '-' || c == '_'; }

  // Every place an identifier occurs, as [begin, end): its characters in order, ASCII case
  // ignored, with separators allowed between two of them ("1234-5678"). A number with
  // leading zeros also contains its form without them, so one inserted identifier can give
  // two nested places.
  std::vector<std::pair<std::size_t, std::size_t>> occurrences(const std::string& text) const {
    std::string haystack = lowered(text);
    std::vector<std::pair<std::size_t, std::size_t>> found;
    for (const auto& id : identifiers_) {
      std::string needle = lowered(id.text);
      for (std::size_t at = 0; at < haystack.size(); ++at) {
        std::size_t i = at, k = 0;
        while (i < haystack.size() && k < needle.size()) {
          if (haystack[i] == needle[k]) {
            ++i, ++k;
          } else if (k > 0 && is_separator(haystack[i])) {
            ++i;
          } else {
            break;
          }
        }
        if (k == needle.size()) found.emplace_back(at, i);
      }
    }
    return found;
  }

  // The identifier as brokers and people write it: any case, and sometimes with separators
  // inside ("1234-5678", "1234_5678").
  std::string spelling(const Identifier& id) {
    std::string text = random_case(id.text);
    if (pick(0, 2) != 0) return text;
    static constexpr std::string_view kSeparators = "-_";
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (i > 0 && pick(0, 3) == 0) out.push_back(kSeparators[pick(0, 1)]);
      out.push_back(text[i]);
    }
    return out;
  }

  std::string random_text(std::string_view alphabet, int max_length) {
    std::string out;
    int length = pick(0, max_length);
    for (int i = 0; i < length; ++i) out.push_back(alphabet[pick(0, int(alphabet.size()) - 1)]);
    return out;
  }

  // Identifiers are matched ignoring ASCII case; the scrubber must see through that.
  std::string random_case(const std::string& text) {
    std::string out = text;
    for (char& c : out) {
      if (std::isalpha(static_cast<unsigned char>(c)) && pick(0, 1)) {
        c = static_cast<char>(pick(0, 1) ? std::toupper(c) : std::tolower(c));
      }
    }
    return out;
  }

  std::string plain_text(std::string_view alphabet, int max_length) {
    while (true) {
      std::string text = random_text(alphabet, max_length);
      if (occurrences(text).empty()) return text;
    }
  }

  const Identifier& some_identifier() {
    inserted_ = true;
    return identifiers_[pick(0, int(identifiers_.size()) - 1)];
  }

  // An identifier with random text on both sides, including digits and letters glued to it.
  std::pair<std::string, std::string> embedded(const Identifier& id) {
    static constexpr std::string_view kAround = "0123456789abcXYZ /:-_.?=&\"'";
    while (true) {
      std::string prefix = random_text(kAround, 12);
      std::string suffix = random_text(kAround, 12);
      std::string spelled = spelling(id);
      std::string text = prefix + spelled + suffix;
      // Only the inserted identifier may occur, or the expected text would be ambiguous.
      bool only_inserted = true;
      for (auto [begin, end] : occurrences(text)) {
        only_inserted =
            only_inserted && begin >= prefix.size() && end <= prefix.size() + spelled.size();
      }
      if (only_inserted) return {text, prefix + id.display_name + suffix};
    }
  }

  Json plain_number() {
    while (true) {
      Json number;
      switch (pick(0, 4)) {
        case 0: number = pick(-1000, 1000); break;
        case 1:
          number = std::uniform_int_distribution<std::int64_t>(INT64_MIN, INT64_MAX)(rng_);
          break;
        case 2: number = std::uniform_int_distribution<std::uint64_t>()(rng_); break;
        case 3: number = std::uniform_real_distribution<double>(-1e4, 1e4)(rng_); break;
        default: number = std::uniform_real_distribution<double>(-1e12, 1e12)(rng_); break;
      }
      if (occurrences(bmcp::dump_json(number)).empty()) return number;
    }
  }

  Sample leaf() {
    switch (pick(0, 9)) {
      case 0: {
        const auto& id = some_identifier();
        return {Json(spelling(id)), Json(id.display_name)};
      }
      case 1: {
        auto [text, expected] = embedded(some_identifier());
        return {Json(text), Json(expected)};
      }
      case 2: {
        const auto& id = some_identifier();
        if (!id.numeric) return {Json(random_case(id.text)), Json(id.display_name)};
        std::uint64_t value = std::stoull(id.text);
        switch (pick(0, 2)) {
          case 0: return {Json(value), Json(id.display_name)};
          case 1: return {Json(static_cast<std::int64_t>(value)), Json(id.display_name)};
          default: return {Json(static_cast<double>(value)), Json(id.display_name)};
        }
      }
      case 3:
      case 4: {
        Json number = plain_number();
        return {number, number};
      }
      case 5: {
        Json flag = pick(0, 2) == 0 ? Json() : Json(bool(pick(0, 1)));
        return {flag, flag};
      }
      default: {
        Json text(plain_text("0123456789abcdefXYZ ./:-_", 40));
        return {text, text};
      }
    }
  }

  Sample array(int depth) {
    Sample out{Json::array(), Json::array()};
    int size = pick(0, 5);
    for (int i = 0; i < size; ++i) {
      Sample element = tree(depth - 1);
      out.input.push_back(std::move(element.input));
      out.expected.push_back(std::move(element.expected));
    }
    return out;
  }

  Sample object(int depth) {
    Sample out{Json::object(), Json::object()};
    int size = pick(0, 5);
    for (int i = 0; i < size; ++i) {
      std::string key;
      std::string expected_key;
      Sample value;
      switch (pick(0, 6)) {
        case 0: {  // the identifier is the key
          const auto& id = some_identifier();
          key = spelling(id);
          expected_key = id.display_name;
          value = tree(depth - 1);
          break;
        }
        case 1: {  // the identifier is inside the key
          auto [text, expected] = embedded(some_identifier());
          key = text;
          expected_key = expected;
          value = tree(depth - 1);
          break;
        }
        case 2: {  // an account field holding an identifier, as a string or a number
          static constexpr std::string_view kFields[] = {"accountNumber", "account-number",
                                                         "hashValue", "account_number"};
          key = expected_key = std::string(kFields[pick(0, 3)]);
          const auto& id = some_identifier();
          if (id.numeric && pick(0, 1)) {
            value = {Json(std::stoull(id.text)), Json(id.display_name)};
          } else {
            value = {Json(random_case(id.text)), Json(id.display_name)};
          }
          break;
        }
        case 3: {  // an identity field (streamer info, customer records): dropped entirely
          static constexpr std::string_view kIdentity[] = {
              "schwabClientCustomerId", "schwabClientCorrelId", "external-id", "customerId"};
          key = std::string(kIdentity[pick(0, 3)]);
          if (out.input.contains(key)) continue;
          out.input[key] = tree(depth - 1).input;
          continue;
        }
        default:
          key = expected_key = plain_text("abcdefghijklmnopqrstuvwxyz0123456789_", 12);
          value = tree(depth - 1);
          break;
      }
      // Keep keys unique on both sides so the comparison is exact.
      if (out.input.contains(key) || out.expected.contains(expected_key)) continue;
      out.input[key] = std::move(value.input);
      out.expected[expected_key] = std::move(value.expected);
    }
    return out;
  }

  std::mt19937& rng_;
  std::vector<Identifier> identifiers_;
  bool inserted_ = false;
};

std::string random_digits(std::mt19937& rng, int length, bool leading_zero) {
  std::string out =
      leading_zero ? "0" : std::to_string(std::uniform_int_distribution<int>(1, 9)(rng));
  while (int(out.size()) < length)
    out += std::to_string(std::uniform_int_distribution<int>(0, 9)(rng));
  return out;
}

std::string random_from(std::mt19937& rng, std::string_view alphabet, int length) {
  std::string out;
  for (int i = 0; i < length; ++i) {
    out.push_back(alphabet[std::uniform_int_distribution<int>(0, int(alphabet.size()) - 1)(rng)]);
  }
  return out;
}

AccountDisplayMap random_accounts(std::mt19937& rng) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::vector<AccountIdentity> accounts;
  // Two Schwab accounts of the same type that end alike, so names need disambiguation.
  std::string first = random_digits(rng, 8, false);
  std::string second = random_digits(rng, 5, false) + first.substr(5);
  accounts.push_back({first, random_from(rng, kHex, 64), "Individual", ""});
  accounts.push_back({second, random_from(rng, kHex, 64), "Individual", ""});
  accounts.push_back({random_digits(rng, 9, false), random_from(rng, kHex, 64), "IRA", ""});
  accounts.push_back({random_digits(rng, 10, true), "", "Margin", ""});
  // tastytrade-style numbers: digit, two letters, five digits.
  accounts.push_back({random_digits(rng, 1, false) +
                          random_from(rng, "ABCDEFGHJKLMNPQRSTUVWXYZ", 2) +
                          random_digits(rng, 5, false),
                      "", "Roth IRA", "Retirement"});
  return AccountDisplayMap::build(accounts);
}

}  // namespace

TEST_CASE("random JSON trees: no identifier survives and nothing else changes",
          "[privacy][scrubber][property]") {
  std::mt19937 rng(20240507);
  constexpr int kMaps = 10;
  constexpr int kTreesPerMap = 80;
  int trees_with_identifiers = 0;

  for (int m = 0; m < kMaps; ++m) {
    AccountDisplayMap accounts = random_accounts(rng);
    REQUIRE(accounts.entries().size() == 5);
    TreeGenerator generator(rng, accounts);

    for (int t = 0; t < kTreesPerMap; ++t) {
      generator.reset();
      Sample sample = generator.tree(5);
      Json scrubbed = bmcp::privacy::scrub_accounts(sample.input, accounts);
      INFO("map " << m << " tree " << t << "\ninput:    " << bmcp::dump_json(sample.input)
                  << "\nscrubbed: " << bmcp::dump_json(scrubbed));

      CHECK(scrubbed == sample.expected);
      CHECK_FALSE(bmcp::privacy::looks_like_leak(scrubbed, accounts));
      CHECK(bmcp::privacy::looks_like_leak(sample.input, accounts) ==
            generator.inserted_identifier());
      trees_with_identifiers += generator.inserted_identifier() ? 1 : 0;

      std::string dumped = lowered(bmcp::dump_json(scrubbed));
      for (const auto& id : generator.identifiers()) {
        INFO("identifier " << id.text);
        CHECK(dumped.find(lowered(id.text)) == std::string::npos);
      }
      CHECK(bmcp::privacy::scrub_accounts(scrubbed, accounts) == scrubbed);
    }
  }
  // The generator must actually exercise the scrubber.
  CHECK(trees_with_identifiers > kMaps * kTreesPerMap / 2);
}
