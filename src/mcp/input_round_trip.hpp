// Multi round-trip requests of the 2026-07-28 protocol: a stateless request cannot carry a
// server-to-client request, so a handler's question (an order confirmation by elicitation)
// goes back in a result `{resultType: "input_required", inputRequests, requestState}`, and
// the client retries the same request with `inputResponses` and `requestState` echoed.
// The handler runs again from the start and, this time, finds its answer.
//
// Guarantees:
// - An answer is used only for a question this server asked: `requestState` is sealed
//   (AES-256-GCM, crypto/sealed_box.hpp) and names the person, the method, a digest of
//   the request's own parameters (so the retry cannot swap the order or the account), the
//   keys asked, and an expiry (5 minutes). Anything else in inputResponses is ignored.
// - A state with answers is honoured once (D1 used_request_states): a replayed retry —
//   the same confirmed order sent again — is refused, never served.
// - The sealed state carries earlier rounds' answers, so a handler that asks twice does
//   not loop; answers stay unreadable to the client.
#pragma once

#include "base/json.hpp"
#include "effects/io.hpp"
#include "effects/task.hpp"
#include "mcp/outbound.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace bmcp::mcp {

inline constexpr std::int64_t kRequestStateLifetimeMs = 5 * 60 * 1000;

// What the sealed requestState holds.
struct RoundTripState {
  std::string user_id;
  std::string method;
  std::string params_digest;      // hex SHA-256 of the request's params without round-trip members
  Json answers = Json::object();  // key → the client's answer, from every round so far
  Json asked = Json::array();     // the keys the last round asked
  std::int64_t expires_at_ms = 0;
  std::string nonce;
};

// The digest a state binds: the params as sent, without _meta, inputResponses and
// requestState (which change between rounds). nlohmann objects are key-ordered, so the
// text is canonical.
std::string round_trip_params_digest(const CryptoPort& crypto, const Json& params);

std::optional<std::string> seal_request_state(const CryptoPort& crypto, std::string_view key,
                                              const RoundTripState& state);
// nullopt for anything this server did not seal with this key, or an unreadable state.
std::optional<RoundTripState> open_request_state(const CryptoPort& crypto, std::string_view key,
                                                 std::string_view token);

// Records the state's nonce as used; false when it was used before (or D1 failed: the
// retry is refused rather than risk serving it twice).
Task<bool> use_request_state_once(Io& io, std::string nonce, std::int64_t expires_at_ms);

// The Outbound of a stateless request whose client declared it can answer (elicitation):
// requests the handler sends are answered from `answers` when the client already did,
// and otherwise collected as this round's inputRequests. `unsealed` are inputResponses that
// came without a requestState: they answer only questions asked as ephemeral (Question).
// An answer that is not a JSON object (a result) answers nothing: the question is asked again.
class InputRoundTrip final : public Outbound {
 public:
  explicit InputRoundTrip(Json answers, Json unsealed = Json::object())
      : answers_(std::move(answers)), unsealed_(std::move(unsealed)) {}
  bool can_stream() const override { return false; }
  bool can_ask() const override { return true; }
  bool defers_requests() const override { return true; }
  Task<bool> send(Json message) override;
  Task<std::optional<Json>> await_reply(const Json& id, std::int64_t timeout_ms) override;
  // "input-1", "input-2", …: the same handler path asks the same keys in every round.
  Json next_request_id() override { return "input-" + std::to_string(++asked_count_); }
  // The question's own key when it names one.
  Json request_id_for(const Question& question) override;

  // inputRequests of this round: key → {method, params}; empty when nothing is missing.
  const Json& unanswered() const { return unanswered_; }
  // Every answer used so far (sealed into the next round's state).
  const Json& answers() const { return answers_; }

 private:
  Json answers_;
  Json unsealed_;
  Json ephemeral_keys_ = Json::object();
  Json unanswered_ = Json::object();
  int asked_count_ = 0;
};

}  // namespace bmcp::mcp
