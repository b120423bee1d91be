// Finds every occurrence of a fixed set of identifiers (account numbers, account hashes) in a
// text in one left-to-right pass, ignoring ASCII case. Built once per account map and then
// shared by the scrubber and the log redactor, so a large payload is scanned once per string
// rather than once per identifier.
//
// Guarantee: the spans returned cover every occurrence of every pattern. Occurrences that
// overlap are merged into one span, so replacing each span removes all of them; adjacent but
// non-overlapping occurrences stay separate spans.
//
// Brokers and people also write an identifier with separators inside it: Schwab shows
// account 12345678 as "1234-5678". A separator ('-', '_') between two characters of a match
// is therefore skipped: "1234-5678" and "12-3456_78" are occurrences of the pattern 12345678,
// and their span covers the separators. Spaces are not skipped: "1122 3344" is two numbers. A
// separator that occurs in some pattern is an ordinary character instead.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bmcp::privacy {

class IdentifierMatcher {
 public:
  struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;      // one past the last byte
    std::size_t pattern = 0;  // index into the constructor's list: the leftmost pattern in the span
  };

  IdentifierMatcher() = default;

  // Empty patterns are ignored (they would match everywhere). Indexes keep their positions.
  explicit IdentifierMatcher(const std::vector<std::string>& patterns);

  bool empty() const { return pattern_count_ == 0; }

  // Spans in increasing order of `begin`, pairwise non-overlapping.
  std::vector<Span> find_all(std::string_view text) const;

  bool contains_any(std::string_view text) const;

  // `text` equals one pattern exactly (ignoring ASCII case); returns its index.
  bool matches_whole(std::string_view text, std::size_t* pattern) const;

 private:
  // Byte -> symbol class. Class 0 stands for every byte that occurs in no pattern, which keeps
  // the transition table as narrow as the patterns' alphabet (hex digits for Schwab hashes).
  std::array<std::uint8_t, 256> symbol_of_{};
  // Bytes skipped inside a match (separators that occur in no pattern).
  std::array<bool, 256> skippable_{};
  std::size_t longest_pattern_length_ = 0;
  std::size_t symbol_count_ = 1;
  std::size_t pattern_count_ = 0;

  // Complete automaton: next_[state * symbol_count_ + symbol] is always a valid state.
  std::vector<std::uint32_t> next_;
  // Longest pattern that ends at this state (0 = none), and which pattern it is.
  std::vector<std::uint32_t> longest_length_;
  std::vector<std::uint32_t> longest_pattern_;
  // Pattern that this state spells exactly, or kNoPattern.
  std::vector<std::uint32_t> exact_pattern_;

  static constexpr std::uint32_t kNoPattern = 0xFFFFFFFFu;
};

}  // namespace bmcp::privacy
