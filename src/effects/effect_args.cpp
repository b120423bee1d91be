#include "effects/effect_args.hpp"

namespace bmcp::effects {
namespace {

// One encoding per field type, so a kind's arguments look the same whichever wrapper sends
// them (the shim and the fake host read exactly these shapes).
Json encode(std::string v) { return v; }
Json encode(std::int64_t v) { return v; }
Json encode(int v) { return v; }
Json encode(Json v) { return v; }
Json encode(const http::Headers& hs) {
  Json out = Json::array();
  for (const auto& [k, v] : hs) out.push_back(Json::array({k, v}));
  return out;
}
Json encode(const http::Request& r) { return http::request_to_json(r); }
Json encode(std::vector<SqlStatement> statements) {
  Json out = Json::array();
  for (SqlStatement& s : statements) {
    Json one = Json::object();
    one["sql"] = std::move(s.sql);
    one["params"] = std::move(s.params);
    out.push_back(std::move(one));
  }
  return out;
}

template <class T>
void put(Json& args, const char* wire, T value) {
  args[wire] = encode(std::move(value));
}
// Absent, not null: the host tells "not given" by the missing member.
template <class T>
void put(Json& args, const char* wire, std::optional<T> value) {
  if (value) put(args, wire, std::move(*value));
}

}  // namespace

#define BMCP_EFFECT_ENCODE(Name, kind) \
  Effect to_effect(Name a) {           \
    Effect out{std::string(kind), Json::object()};
#define BMCP_EFFECT_ENCODE_MEMBER(type, member, wire) put(out.args, wire, std::move(a.member));
#define BMCP_EFFECT_ENCODE_END() \
  return out;                    \
  }
BMCP_EFFECTS(BMCP_EFFECT_ENCODE, BMCP_EFFECT_ENCODE_MEMBER, BMCP_EFFECT_ENCODE_END)
#undef BMCP_EFFECT_ENCODE
#undef BMCP_EFFECT_ENCODE_MEMBER
#undef BMCP_EFFECT_ENCODE_END

}  // namespace bmcp::effects
