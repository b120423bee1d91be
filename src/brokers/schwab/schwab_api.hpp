// Talking to Schwab's Trader and Market Data APIs: the endpoint (base URL from
// SCHWAB_API_BASE, correlation header, timeout from SCHWAB_TIMEOUT_MS) and the reading of
// Schwab's two error shapes — Trader {message, errors:[string]}, Market Data
// {errors:[{id, status, title, detail, source}]} — into a short message.
#pragma once

#include "app/config.hpp"
#include "brokers/upstream/upstream_client.hpp"

namespace bmcp::schwab {

inline constexpr const char* kProvider = "schwab";
inline constexpr const char* kLabel = "Schwab";
inline constexpr const char* kDefaultApiBase = "https://api.schwabapi.com";
// Seed 004: 120 requests per minute per Schwab app, shared by every user.
inline constexpr std::int64_t kRequestsPerMinute = 120;

upstream::Endpoint schwab_endpoint(const app::Config& config);

std::string schwab_error_message(const Json& body);

}  // namespace bmcp::schwab
