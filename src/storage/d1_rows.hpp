// Small helpers shared by the D1 table modules: reading columns out of result rows (D1 hands
// rows back as JSON objects keyed by column name) and the outcome types every lookup uses.
#pragma once

#include "base/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace bmcp::storage {

// A lookup: `storage_ok` false means D1 failed (nothing is known); otherwise `row` is the
// record, or empty when there is none.
template <class T>
struct Lookup {
  bool storage_ok = false;
  std::optional<T> row;
};

// A conditional write: `storage_ok` false means D1 failed; otherwise `applied` says whether
// the condition held (a row changed).
struct Write {
  bool storage_ok = false;
  bool applied = false;
};

// One statement of a D1 batch: SQL and its bound parameters.
using Statement = std::pair<std::string, Json>;

inline std::string column_text(const Json& row, std::string_view name) {
  return get_string(row, name).value_or("");
}

inline std::optional<std::int64_t> column_int(const Json& row, std::string_view name) {
  return get_int(row, name);
}

// NULL (or absent) → nullopt; a number → its value.
inline Json nullable(const std::optional<std::int64_t>& value) {
  return value ? Json(*value) : Json(nullptr);
}

}  // namespace bmcp::storage
