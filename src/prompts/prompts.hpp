// Prompts a trader reaches for, each naming the tools of the broker the person signed in
// with (the Schwab and tastytrade catalogs list different tool names) and the resources
// every catalog has (portfolio://positions, knowledge://…).
#pragma once

#include "mcp/catalog.hpp"

#include <string_view>

namespace bmcp::prompts {

// `broker`: "schwab" or "tastytrade".
void add_prompts(mcp::Catalog& catalog, std::string_view broker);

}  // namespace bmcp::prompts
