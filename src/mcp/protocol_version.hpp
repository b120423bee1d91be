// MCP protocol revisions this server speaks, and negotiation
// (spec 2025-11-25 basic/lifecycle#version-negotiation): a supported requested version is
// echoed; otherwise the server answers with its latest and the client decides.
#pragma once

#include "base/json.hpp"

#include <array>
#include <string_view>

namespace bmcp::mcp {

// Newest first. 2026-07-28 is served statelessly (no initialize); see stateless.hpp.
inline constexpr std::array<std::string_view, 4> kSessionVersions = {"2025-11-25", "2025-06-18",
                                                                     "2025-03-26", "2024-11-05"};
inline constexpr std::string_view kStatelessVersion = "2026-07-28";
inline constexpr std::string_view kLatestSessionVersion = kSessionVersions[0];

bool is_session_version(std::string_view v);
// For the MCP-Protocol-Version header: any version we speak, either era.
bool is_known_version(std::string_view v);
std::string_view negotiate(std::string_view requested);
// 2025-03-26 is the only revision with JSON-RPC batches.
bool allows_batches(std::string_view v);
// Every version this server speaks, newest first (UnsupportedProtocolVersionError's data).
Json supported_protocol_versions();

}  // namespace bmcp::mcp
