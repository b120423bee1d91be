// What a broker provides to the broker-tool kernel (broker_call.hpp, broker_accounts.hpp,
// broker_order_tools.hpp): the few things that really differ between brokers. Everything
// else a broker tool does — naming accounts by display name only (never a raw number from
// the model), rebuilding the account map once when a name or an answer mentions an account
// it does not know, scrubbing every answer and error, capping large answers, withholding
// an answer that still names an account, the order-safety flow — is the kernel's, once.
//
// A new broker is one folder beside schwab/ and tastytrade/ holding:
//   <broker>_api       its upstream::Endpoint (base URL and timeout from its own settings,
//                      correlation header, the reader of its error bodies) and its profile;
//   <broker>_accounts  account_identities: the person's accounts, from the broker's
//                      listing, as identities (the number, a hash when the broker's URLs
//                      use one, a label), never shown;
//   <broker>_*_tools   its tools, their parameters and answers declared in typed rows
//                      (tool_params.hpp), run through BrokerCall; orders through a
//                      BrokerOrderDesk (broker_order_tools.hpp);
// plus one value in broker.hpp and its catalog in app/production_catalogs.cpp.
#pragma once

#include "brokers/broker.hpp"
#include "brokers/upstream/upstream_client.hpp"
#include "mcp/catalog.hpp"
#include "privacy/account_display_map.hpp"

#include <string>
#include <vector>

namespace bmcp::brokers {

// The broker's answer to "which accounts does this person have".
using AccountListing = upstream::Outcome<std::vector<privacy::AccountIdentity>>;

// The endpoint every broker starts from: its provider id and label, and the API base from
// the deployment variable `base_variable` (else `default_base`), without a trailing slash.
upstream::Endpoint base_endpoint(Broker broker, const Json& vars, const char* base_variable,
                                 const char* default_base);

struct BrokerProfile {
  Broker broker = Broker::None;
  // Where the person's accounts (open ones only) are listed: `accounts_path` must answer;
  // `account_names_path`, when set, is asked at the same time and only adds names (when it
  // fails, the accounts are still listed, named more plainly).
  const char* accounts_path = nullptr;
  const char* account_names_path = nullptr;
  // The accounts as identities, from those answers (`names` is an empty object when there
  // is no names path or it failed).
  std::vector<privacy::AccountIdentity> (*account_identities)(const Json& accounts,
                                                              const Json& names) = nullptr;
  // A failure in the words that lead a tool's error text and an order preview's failure:
  // Schwab "rate_limited: … (HTTP 429; …)", tastytrade "RATE_LIMIT: …". Not yet scrubbed.
  std::string (*error_words)(const upstream::UpstreamError& error) = nullptr;
  // A failure as the tool result, its every text scrubbed with `scrub_text` of `map`
  // (broker_call.hpp): Schwab a text, tastytrade its typed error object.
  mcp::ToolResult (*error_result)(const upstream::UpstreamError& error,
                                  const privacy::AccountDisplayMap* map) = nullptr;
};

}  // namespace bmcp::brokers
