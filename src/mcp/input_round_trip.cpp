#include "mcp/input_round_trip.hpp"

#include "crypto/hex.hpp"
#include "crypto/sealed_box.hpp"
#include "effects/host_api.hpp"

namespace bmcp::mcp {
namespace {

// Names the purpose, so no other sealed token of this server opens as a request state.
constexpr std::string_view kRequestStateAad = "mcp-request-state";

}  // namespace

std::string round_trip_params_digest(const CryptoPort& crypto, const Json& params) {
  Json bound = params.is_object() ? params : Json::object();
  for (const char* member : {"_meta", "inputResponses", "requestState"}) bound.erase(member);
  return crypto::hex_encode(crypto.sha256(dump_json(bound)));
}

std::optional<std::string> seal_request_state(const CryptoPort& crypto, std::string_view key,
                                              const RoundTripState& state) {
  Json payload = {{"v", 1},
                  {"sub", state.user_id},
                  {"method", state.method},
                  {"params", state.params_digest},
                  {"answers", state.answers},
                  {"asked", state.asked},
                  {"exp", state.expires_at_ms},
                  {"nonce", state.nonce}};
  std::string iv = crypto.random_bytes(crypto::kSealedBoxIvBytes);
  return crypto::seal(crypto, key, dump_json(payload), kRequestStateAad, iv);
}

std::optional<RoundTripState> open_request_state(const CryptoPort& crypto, std::string_view key,
                                                 std::string_view token) {
  auto plaintext = crypto::open(crypto, key, token, kRequestStateAad);
  if (!plaintext) return std::nullopt;
  auto payload = parse_json(*plaintext);
  if (!payload || !payload->is_object() || get_int(*payload, "v").value_or(0) != 1)
    return std::nullopt;
  RoundTripState state;
  state.user_id = get_string(*payload, "sub").value_or("");
  state.method = get_string(*payload, "method").value_or("");
  state.params_digest = get_string(*payload, "params").value_or("");
  state.expires_at_ms = get_int(*payload, "exp").value_or(0);
  state.nonce = get_string(*payload, "nonce").value_or("");
  if (const Json* a = find_member(*payload, "answers"); a && a->is_object()) state.answers = *a;
  if (const Json* k = find_member(*payload, "asked"); k && k->is_array()) state.asked = *k;
  if (state.user_id.empty() || state.method.empty() || state.nonce.empty()) return std::nullopt;
  return state;
}

Task<bool> use_request_state_once(Io& io, std::string nonce, std::int64_t expires_at_ms) {
  // States past their expiry can no longer be opened, so their nonces need not be kept.
  Json now = Json::array({io.now_ms()});
  co_await host::d1_query(io, "DELETE FROM used_request_states WHERE expires_at < ?",
                          std::move(now));
  Json params = Json::array({std::move(nonce), expires_at_ms});
  host::SqlResult r = co_await host::d1_query(io,
                                              "INSERT INTO used_request_states (nonce, expires_at) "
                                              "VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING",
                                              std::move(params));
  co_return (r.ok && r.changes == 1);
}

Task<bool> InputRoundTrip::send(Json message) {
  // Only requests are carried (notifications have no way back on this protocol).
  const Json* id = find_member(message, "id");
  auto method = get_string(message, "method");
  if (!id || !id->is_string() || !method) co_return false;
  const std::string key = id->get<std::string>();
  const Json* sealed = find_member(answers_, key);
  const Json* open = ephemeral_keys_.contains(key) ? find_member(unsealed_, key) : nullptr;
  const bool answered = (sealed && sealed->is_object()) || (open && open->is_object());
  if (!answered) {
    Json params = message.value("params", Json::object());
    unanswered_[key] = {{"method", *method}, {"params", std::move(params)}};
  }
  co_return true;
}

Json InputRoundTrip::request_id_for(const Question& question) {
  Json id = question.key.empty() ? next_request_id() : Json(question.key);
  if (question.ephemeral) ephemeral_keys_[id.get<std::string>()] = true;
  return id;
}

Task<std::optional<Json>> InputRoundTrip::await_reply(const Json& id, std::int64_t) {
  if (!id.is_string()) co_return std::nullopt;
  const std::string key = id.get<std::string>();
  if (const Json* answer = find_member(answers_, key); answer && answer->is_object())
    co_return Json{{"result", *answer}};
  if (const Json* answer = find_member(unsealed_, key);
      answer && answer->is_object() && ephemeral_keys_.contains(key)) {
    answers_[key] = *answer;
    co_return Json{{"result", *answer}};
  }
  co_return std::nullopt;  // asked this round: deferred
}

}  // namespace bmcp::mcp
