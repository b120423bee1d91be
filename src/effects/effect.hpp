// An effect is one I/O the core asks its host to perform, as a value: a kind
// (`http.fetch`, `kv.get`, `d1.query`, …; the catalogue is bindings/ABI.md) and its
// arguments, built from a typed argument struct (effects/effect_args.hpp), never by hand. Its
// outcome is data too: success with a value, or failure with a code and message. Hosts never throw
// into the core; a failed fetch is an outcome, not a trap.
#pragma once

#include "base/json.hpp"

#include <string>

namespace bmcp {

struct Effect {
  std::string kind;
  Json args = Json::object();
};

// {kind, args}: an effect as a critical section's fallback lists it (bindings/ABI.md).
inline Json effect_json(Effect effect) {
  return {{"kind", std::move(effect.kind)}, {"args", std::move(effect.args)}};
}

struct EffectOutcome {
  bool ok = false;
  Json value;              // when ok
  std::string error_code;  // when !ok: e.g. "network", "timeout", "binding", "cancelled"
  std::string error_message;

  static EffectOutcome success(Json v) { return {true, std::move(v), {}, {}}; }
  static EffectOutcome failure(std::string code, std::string message) {
    return {false, Json(), std::move(code), std::move(message)};
  }
};

}  // namespace bmcp
