// Talking to Schwab's Trader and Market Data APIs: the endpoint and the kernel's profile (base URL
// from SCHWAB_API_BASE, correlation header, timeout from SCHWAB_TIMEOUT_MS) and the reading of
// Schwab's two error shapes — Trader {message, errors:[string]}, Market Data
// {errors:[{id, status, title, detail, source}]} — into a short message.
#pragma once

#include "brokers/broker_profile.hpp"
#include "brokers/upstream/upstream_client.hpp"

namespace bmcp::schwab {

inline constexpr const char* kDefaultApiBase = "https://api.schwabapi.com";
// Schwab allows 120 requests per minute per app, shared by every user.
inline constexpr std::int64_t kRequestsPerMinute = 120;

// From the deployment's variables (SCHWAB_API_BASE, SCHWAB_TIMEOUT_MS), which this module
// owns; the app hands them over as they are.
upstream::Endpoint schwab_endpoint(const Json& vars);

// What the broker-tool kernel needs of Schwab: its account listing and its error words,
// "code: message (HTTP status; Schwab correlation id …)".
const brokers::BrokerProfile& schwab_profile();

std::string schwab_error_message(const Json& body);

}  // namespace bmcp::schwab
