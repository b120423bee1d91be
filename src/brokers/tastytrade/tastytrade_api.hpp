// Talking to the tastytrade Open API: the endpoint (TASTYTRADE_API_BASE selects
// production, the public sandbox or the local sandbox brokerage; a User-Agent of the form
// product/version, which tastytrade requires), its envelopes ({data, context},
// {data:{items}}, a top-level pagination), string decimals with `*-effect` signs, its error
// shape {error:{code, message, errors:[…]}}, the user-scoped cache keys, and the typed
// errors the tastytrade tools return (AUTHENTICATION_ERROR, RATE_LIMIT, VALIDATION_ERROR, …).
#pragma once

#include "brokers/broker_profile.hpp"
#include "brokers/upstream/upstream_client.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace bmcp::tastytrade {

inline constexpr const char* kDefaultApiBase = "https://api.tastyworks.com";

// From the deployment's variables (TASTYTRADE_API_BASE), which this module owns, and the
// server's version for the User-Agent.
upstream::Endpoint tastytrade_endpoint(const Json& vars, std::string_view server_version);

// "not_permitted: User not permitted access; account is closed" from an error body.
std::string tastytrade_error_message(const Json& body);

// ---- envelopes ----------------------------------------------------------------------
// The `data` member, or the body itself when there is none.
const Json& data_of(const Json& body);
// The list of a list answer: data.items, else data when it is an array, else [data] when
// data is an object, else [].
Json items_of(const Json& body);
// The top-level pagination, compact: {page, pages, perPage, total}; null when absent.
Json pagination_of(const Json& body);

// ---- decimals --------------------------------------------------------------------------
// "556.23", "-0.5", "1e3", 12, 12.5 -> a number; "", "NaN", null, other text -> nullopt.
std::optional<double> decimal(const Json& value);
std::optional<double> decimal_member(const Json& object, std::string_view key);
// A magnitude with its `<key>-effect` sibling: Debit is negative, Credit and None positive.
std::optional<double> signed_amount(const Json& object, std::string_view key);

// ---- cache keys ------------------------------------------------------------------------
// Everything about a person: "user:<id>:tastytrade:<what>".
std::string user_key(std::string_view user_id, std::string_view what);
// Public market data, shared by everyone: "quote:tastytrade:<type>:<SYMBOL>".
std::string quote_key(std::string_view instrument_type, std::string_view symbol);

// ---- typed errors: {error:{code, message, retryable, status, retryAfter?}} ---------------
struct TypedError {
  std::string code;  // AUTHENTICATION_ERROR, PERMISSION_DENIED, NOT_FOUND, VALIDATION_ERROR,
                     // ORDER_REJECTED, RATE_LIMIT, UPSTREAM_ERROR, UPSTREAM_UNAVAILABLE,
                     // INTERNAL_ERROR
  int status = 500;
  bool retryable = false;
  std::int64_t retry_after_seconds = 0;  // RATE_LIMIT (and others when the broker said)
  std::string message;
  Json to_json() const;  // {code, message, retryable, status, retryAfter?}
};
TypedError typed_error(const upstream::UpstreamError& e);
TypedError validation_error(std::string message);

// What the broker-tool kernel needs of tastytrade: its account listing and the typed errors
// ({error:{code, message, retryable, status, retryAfter?}} and "CODE: message" text).
const brokers::BrokerProfile& tastytrade_profile();

}  // namespace bmcp::tastytrade
