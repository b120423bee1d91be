#include "tools/output_limit.hpp"

#include <vector>

namespace bmcp::tools {
namespace {

constexpr std::size_t kNoteReserve = 600;
constexpr int kMaxCuts = 24;

std::size_t size_of(const Json& v) { return dump_json(v).size(); }

std::size_t member_count(const Json& v) { return v.is_array() || v.is_object() ? v.size() : 0; }

struct Target {
  Json* node = nullptr;
  std::string path;
};

// Descends from `root` into the member that holds most of the size, until a node whose
// size is spread over several members (or a long string) is reached.
Target dominant(Json& root) {
  Target t{&root, ""};
  for (int depth = 0; depth < 64; ++depth) {
    Json& n = *t.node;
    if (!n.is_array() && !n.is_object()) return t;
    std::size_t total = size_of(n), best = 0;
    Json* best_child = nullptr;
    std::string best_key;
    std::size_t index = 0;
    for (auto it = n.begin(); it != n.end(); ++it, ++index) {
      std::size_t s = size_of(*it);
      if (s > best) {
        best = s;
        best_child = &*it;
        best_key = n.is_object() ? it.key() : "[" + std::to_string(index) + "]";
      }
    }
    bool spread = n.size() >= 2 && best * 2 < total;
    if (spread || !best_child) return t;
    t.node = best_child;
    t.path += n.is_object() ? (t.path.empty() ? "" : ".") + best_key : best_key;
  }
  return t;
}

}  // namespace

Json cap_output(Json value, std::size_t max_chars, std::string_view hint) {
  std::size_t size = size_of(value);
  if (size <= max_chars) return value;
  std::size_t budget = max_chars > 2 * kNoteReserve ? max_chars - kNoteReserve : max_chars / 2;
  Json cuts = Json::array();
  for (int round = 0; round < kMaxCuts && size > budget; ++round) {
    Target t = dominant(value);
    Json& n = *t.node;
    std::size_t excess = size - budget;
    if (n.is_string()) {
      std::string s = n.get<std::string>();
      std::size_t keep = s.size() > excess + 16 ? s.size() - excess - 16 : 0;
      while (keep > 0 && (static_cast<unsigned char>(s[keep]) & 0xC0) == 0x80) --keep;
      cuts.push_back({{"path", t.path}, {"keptCharacters", keep}, {"totalCharacters", s.size()}});
      n = s.substr(0, keep) + "\u2026";
    } else if (member_count(n) >= 2) {
      std::size_t total = n.size(), removed = 0;
      while (n.size() > 1 && removed < excess) {
        if (n.is_array()) {
          removed += size_of(n.back()) + 1;
          n.erase(n.size() - 1);
        } else {
          auto last = std::prev(n.end());
          removed += size_of(*last) + last.key().size() + 4;
          n.erase(last);
        }
      }
      cuts.push_back({{"path", t.path}, {"kept", n.size()}, {"total", total}});
    } else {
      // A lone scalar or a single-member container that still dominates: drop it.
      cuts.push_back({{"path", t.path}, {"kept", 0}, {"total", 1}});
      n = "[omitted: too large]";
    }
    size = size_of(value);
  }
  Json note = {
      {"note",
       "The answer was longer than " + std::to_string(max_chars) +
           " characters, so entries were left out from the end of the parts listed in cut."},
      {"cut", std::move(cuts)}};
  if (!hint.empty()) note["hint"] = std::string(hint);
  if (!value.is_object()) value = Json{{"result", std::move(value)}};
  value["_truncated"] = std::move(note);
  return value;
}

}  // namespace bmcp::tools
