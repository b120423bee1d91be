#include "privacy/identifier_matcher.hpp"

#include <algorithm>

namespace bmcp::privacy {
namespace {

constexpr std::uint32_t kUnset = 0xFFFFFFFFu;

unsigned char fold(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

}  // namespace

// An Aho-Corasick automaton, made complete (every state has a transition for every symbol) so
// that scanning is one table lookup per byte with no failure-link chasing.
IdentifierMatcher::IdentifierMatcher(const std::vector<std::string>& patterns) {
  for (const std::string& pattern : patterns) {
    if (pattern.empty()) continue;
    ++pattern_count_;
    for (unsigned char c : pattern) {
      unsigned char f = fold(c);
      if (symbol_of_[f] != 0) continue;
      // 255 distinct bytes at most besides class 0, so the uint8_t never overflows.
      auto symbol = static_cast<std::uint8_t>(symbol_count_++);
      symbol_of_[f] = symbol;
      if (f >= 'a' && f <= 'z') symbol_of_[f - 'a' + 'A'] = symbol;
    }
  }
  const std::size_t width = symbol_count_;
  for (unsigned char separator : {'-', '_'}) skippable_[separator] = symbol_of_[separator] == 0;
  for (const std::string& pattern : patterns)
    longest_pattern_length_ = std::max(longest_pattern_length_, pattern.size());

  auto add_state = [&]() -> std::uint32_t {
    next_.insert(next_.end(), width, kUnset);
    longest_length_.push_back(0);
    longest_pattern_.push_back(kNoPattern);
    exact_pattern_.push_back(kNoPattern);
    return static_cast<std::uint32_t>(longest_length_.size() - 1);
  };
  add_state();  // the root, state 0

  std::vector<std::uint32_t> depth{0};
  for (std::size_t index = 0; index < patterns.size(); ++index) {
    const std::string& pattern = patterns[index];
    if (pattern.empty()) continue;
    std::uint32_t state = 0;
    for (unsigned char c : pattern) {
      std::size_t slot = state * width + symbol_of_[c];
      if (next_[slot] == kUnset) {
        std::uint32_t child = add_state();
        depth.push_back(depth[state] + 1);
        next_[slot] = child;  // add_state may have reallocated: index again, never hold a pointer
      }
      state = next_[slot];
    }
    if (exact_pattern_[state] == kNoPattern) {
      exact_pattern_[state] = static_cast<std::uint32_t>(index);
      longest_length_[state] = depth[state];
      longest_pattern_[state] = static_cast<std::uint32_t>(index);
    }
  }

  // Breadth-first, so a state's failure target (always shallower) is complete before it is used.
  std::vector<std::uint32_t> fail(longest_length_.size(), 0);
  std::vector<std::uint32_t> queue;
  queue.reserve(longest_length_.size());
  for (std::size_t symbol = 0; symbol < width; ++symbol) {
    std::uint32_t& target = next_[symbol];
    if (target == kUnset) {
      target = 0;
    } else {
      fail[target] = 0;
      queue.push_back(target);
    }
  }
  for (std::size_t head = 0; head < queue.size(); ++head) {
    std::uint32_t state = queue[head];
    std::uint32_t fallback = fail[state];
    if (exact_pattern_[state] == kNoPattern) {
      longest_length_[state] = longest_length_[fallback];
      longest_pattern_[state] = longest_pattern_[fallback];
    }
    for (std::size_t symbol = 0; symbol < width; ++symbol) {
      std::uint32_t& target = next_[state * width + symbol];
      std::uint32_t via_fallback = next_[fallback * width + symbol];
      if (target == kUnset) {
        target = via_fallback;
      } else {
        fail[target] = via_fallback;
        queue.push_back(target);
      }
    }
  }
}

std::vector<IdentifierMatcher::Span> IdentifierMatcher::find_all(std::string_view text) const {
  std::vector<Span> spans;
  if (empty()) return spans;
  // Positions of the last consumed (not skipped) bytes, so that a match's first byte is
  // found even when separators were skipped inside it.
  std::vector<std::size_t> consumed_at(longest_pattern_length_);
  std::size_t consumed = 0;
  std::uint32_t state = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (state != 0 && skippable_[byte]) continue;
    state = next_[state * symbol_count_ + symbol_of_[byte]];
    consumed_at[consumed % consumed_at.size()] = i;
    ++consumed;
    std::uint32_t length = longest_length_[state];
    if (length == 0) continue;
    // Shorter patterns ending here start later, so the longest one covers them all.
    Span span{consumed_at[(consumed - length) % consumed_at.size()], i + 1,
              longest_pattern_[state]};
    while (!spans.empty() && spans.back().end > span.begin) {
      if (spans.back().begin < span.begin) {
        span.begin = spans.back().begin;
        span.pattern = spans.back().pattern;
      }
      spans.pop_back();
    }
    spans.push_back(span);
  }
  return spans;
}

bool IdentifierMatcher::contains_any(std::string_view text) const {
  if (empty()) return false;
  std::uint32_t state = 0;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (state != 0 && skippable_[byte]) continue;
    state = next_[state * symbol_count_ + symbol_of_[byte]];
    if (longest_length_[state] != 0) return true;
  }
  return false;
}

bool IdentifierMatcher::matches_whole(std::string_view text, std::size_t* pattern) const {
  if (empty() || text.empty()) return false;
  std::uint32_t state = 0;
  std::size_t consumed = 0;
  bool last_skipped = false;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    last_skipped = state != 0 && skippable_[byte];
    if (last_skipped) continue;
    state = next_[state * symbol_count_ + symbol_of_[byte]];
    ++consumed;
  }
  // The state spells the longest suffix of `text` that begins some pattern; it is the whole
  // text only when its length says so (skipped separators aside, never at either end).
  if (last_skipped || exact_pattern_[state] == kNoPattern || longest_length_[state] != consumed)
    return false;
  if (pattern) *pattern = exact_pattern_[state];
  return true;
}

}  // namespace bmcp::privacy
