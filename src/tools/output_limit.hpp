// A cap on how much a tool answers. Broker answers can be huge (a full option chain, years
// of minute candles); a model is better served by a complete-looking part and a clear note
// than by an answer its client cuts off at random.
//
// cap_output returns `value` unchanged when its JSON text has at most `max_chars`
// characters. Otherwise it repeatedly finds the list-like member that dominates the size
// (an array, or an object with many keys such as an option chain's strike map) and drops
// entries from its end, keeping at least one, until the text fits; a string that is too
// long is shortened. The result's "_truncated" member says, for each cut, where it was and
// how many entries were kept of how many, plus `hint` (how to ask for less).
#pragma once

#include "base/json.hpp"

#include <cstddef>
#include <string_view>

namespace bmcp::tools {

Json cap_output(Json value, std::size_t max_chars, std::string_view hint);

}  // namespace bmcp::tools
