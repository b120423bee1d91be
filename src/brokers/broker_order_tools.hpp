// The order tools of a broker — preview and, when trading is on, place, replace and cancel
// — declared and run the same way for every broker: the broker supplies its words and its
// order schema (BrokerOrderWords) and what each step is at its endpoints (BrokerOrderDesk);
// the account resolution, the confirmation binding, the failure words and the shared flow
// of orders/order_tools.hpp are here, once.
#pragma once

#include "brokers/broker_call.hpp"
#include "mcp/catalog.hpp"
#include "orders/mutation_flow.hpp"
#include "orders/order_tools.hpp"

#include <optional>
#include <string>

namespace bmcp::brokers {

// An account as the order endpoints address it.
struct OrderTarget {
  std::string display;  // the display name: the only one shown
  std::string
      key;  // what the broker's URLs use (Schwab's hash, tastytrade's number): in URLs and digests
  std::string base;  // the account's path prefix, e.g. "/trader/v1/accounts/<hash>"
};

// An order about to be cancelled, in the broker's words.
struct OrderAsItStands {
  orders::OrderSummary summary;
  std::optional<bool> cancellable;  // what the broker says; nullopt when it does not say
  Json view;                        // what the person is shown (scrubbed by the kernel)
};

// What each step of an order tool is at one broker. Every answer a step returns is
// scrubbed (call.scrub, or call.failure_words through preview_failure / send_mutation);
// the order a step is given is already clean_order's. A preview's summary needs no action,
// account or order id: the kernel sets them.
struct BrokerOrderDesk {
  OrderTarget (*target)(const privacy::AccountEntry& account) = nullptr;
  // The order as it would be sent: canonical (orders::canonical_order, what the digest
  // covers) and without anything the model must not set (an account number, …).
  Json (*clean_order)(const Json& order, bool replacing) = nullptr;
  // Words refusing the order before the broker is asked (e.g. a new order without legs);
  // empty when there is nothing to refuse. May be null.
  std::string (*refusal)(const std::string& kind, const Json& order) = nullptr;
  // What placing (or, with an order id, replacing) would do.
  Task<orders::PreviewOutcome> (*preview_order)(BrokerCall& call, const OrderTarget& target,
                                                const Json& order, std::string action,
                                                std::string order_id) = nullptr;
  // What cancelling would do: the order as it stands, read from the broker's answer to
  // GET <base>/orders/<id> (the kernel asks, and refuses an order the broker says can no
  // longer be cancelled).
  OrderAsItStands (*order_as_it_stands)(const Json& answer) = nullptr;
  // Place (replaces empty) or replace the order: the one mutation, never retried.
  Task<orders::MutationOutcome> (*send_order)(BrokerCall& call, const OrderTarget& target,
                                              const Json& order, std::string replaces) = nullptr;
  // After the kernel cancelled the order (DELETE <base>/orders/<id>, sent once): adds to
  // `result` what the broker's answer, or a read after it, says of the order, scrubbed.
  // May be null.
  Task<void> (*describe_cancelled)(BrokerCall& call, const OrderTarget& target,
                                   std::string order_id, const upstream::UpstreamResult& answer,
                                   Json& result) = nullptr;
};

// A preview the broker could not give: its words, scrubbed.
orders::PreviewOutcome preview_failure(const BrokerCall& call, const upstream::UpstreamError& e);

// An order mutation sent once (never retried): the broker's answer, and the outcome — ok,
// or the failure in the broker's words, scrubbed, unknown when no answer came.
struct SentMutation {
  orders::MutationOutcome outcome;
  upstream::UpstreamResult result;
};
Task<SentMutation> send_mutation(BrokerCall& call, std::string method, std::string path,
                                 std::string body);
// The two order mutations both brokers' REST APIs spell alike: POST <base>/orders (or, to
// replace an order, PUT <base>/orders/<id>) with the order, and DELETE <base>/orders/<id>.
Task<SentMutation> send_order_request(BrokerCall& call, const OrderTarget& target,
                                      const Json& order, const std::string& replaces);
Task<SentMutation> send_cancel_request(BrokerCall& call, const OrderTarget& target,
                                       const std::string& order_id);

// The broker's words for its order tools.
struct BrokerOrderWords {
  orders::OrderToolNames names;  // place, replace, cancel and the orders listing
  std::string preview_name;      // "previewOrder"
  std::string
      order_schema;  // JSON Schema text of the broker's order (refused when it does not parse)
  std::string account_description;
  Json order_id_schema;          // the orderId parameter's schema
  Json preview_order_id_schema;  // the preview's orderId (replacing that order); null:
                                 // order_id_schema
  std::string preview_description, place_description, replace_description, cancel_description;
};

// Adds the order tools (the mutating ones only when kit->trading.enabled). False, with
// nothing added, when the order schema text does not parse.
bool add_broker_order_tools(mcp::Catalog& catalog, BrokerKitRef kit, BrokerOrderWords words,
                            BrokerOrderDesk desk);

}  // namespace bmcp::brokers
