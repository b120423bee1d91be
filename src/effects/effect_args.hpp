// The effect catalogue as types: one argument struct per effect kind, holding the kind's
// name and its arguments as named, typed fields, and `to_effect`, the one place where
// those arguments become an Effect's JSON (effect_args.cpp).
//
// BMCP_EFFECTS is the single definition of every kind and its arguments. The structs, their
// encoding and kEffectKinds are expanded from it, and tests/harness/effect-kinds.test.mjs
// reads it as text to check that the shim's performers (worker-shim/effects/), the native
// fake host (tests/support/fake_host.cpp) and bindings/ABI.md "Effects" use exactly these
// kinds and argument names. So it keeps a fixed shape, one entry a line:
//   EFFECT(StructName, "kind")  ARG(type, member, "wireName") …  END()
// (comments inside it are /* */: a // comment would swallow the line continuation).
//
// Guarantees: every field is sent, under its wire name, as its JSON value (strings, integers,
// JSON as is; headers as [[name, value], …]; a request as {method, url, headers, body}); an
// optional field is left out when empty, and nothing else is ever left out or added.
#pragma once

#include "base/json.hpp"
#include "effects/effect.hpp"
#include "http/http_message.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bmcp::effects {

// One statement of a d1.batch: {sql, params}.
struct SqlStatement {
  std::string sql;
  Json params = Json::array();
};

// clang-format off
#define BMCP_EFFECTS(EFFECT, ARG, END)                                                   \
  /* outbound HTTP: the request's fields, then how long to wait and how much to read */  \
  EFFECT(HttpFetch, "http.fetch")                                                        \
    ARG(std::string, method, "method")                                                   \
    ARG(std::string, url, "url")                                                         \
    ARG(http::Headers, headers, "headers")                                               \
    ARG(std::string, body, "body")                                                       \
    ARG(std::int64_t, timeout_ms, "timeoutMs")                                           \
    ARG(std::int64_t, max_bytes, "maxBytes")                                             \
  END()                                                                                  \
  /* KV: the cache */                                                                    \
  EFFECT(KvGet, "kv.get")                                                                \
    ARG(std::string, key, "key")                                                         \
  END()                                                                                  \
  EFFECT(KvPut, "kv.put")                                                                \
    ARG(std::string, key, "key")                                                         \
    ARG(std::string, value, "value")                                                     \
    ARG(std::int64_t, ttl, "ttl")                                                        \
  END()                                                                                  \
  EFFECT(KvDelete, "kv.delete")                                                          \
    ARG(std::string, key, "key")                                                         \
  END()                                                                                  \
  /* D1: the system of record */                                                         \
  EFFECT(D1Query, "d1.query")                                                            \
    ARG(std::string, sql, "sql")                                                         \
    ARG(Json, params, "params")                                                          \
  END()                                                                                  \
  EFFECT(D1Batch, "d1.batch")                                                            \
    ARG(std::vector<SqlStatement>, statements, "statements")                             \
  END()                                                                                  \
  /* the current Durable Object's storage */                                             \
  EFFECT(StorageGet, "storage.get")                                                      \
    ARG(std::string, key, "key")                                                         \
  END()                                                                                  \
  EFFECT(StoragePut, "storage.put")                                                      \
    ARG(std::string, key, "key")                                                         \
    ARG(Json, value, "value")                                                            \
  END()                                                                                  \
  EFFECT(StorageDelete, "storage.delete")                                                \
    ARG(std::string, key, "key")                                                         \
  END()                                                                                  \
  /* this call's HTTP response, and keyed streams of the current object */               \
  EFFECT(ResponseStart, "response.start")                                                \
    ARG(int, status, "status")                                                           \
    ARG(http::Headers, headers, "headers")                                               \
    ARG(std::optional<std::string>, stream_key, "streamKey")                             \
  END()                                                                                  \
  EFFECT(ResponseWrite, "response.write")                                                \
    ARG(std::string, data, "data")                                                       \
  END()                                                                                  \
  EFFECT(ResponseSend, "response.send")                                                  \
    ARG(int, status, "status")                                                           \
    ARG(http::Headers, headers, "headers")                                               \
    ARG(std::string, body, "body")                                                       \
  END()                                                                                  \
  EFFECT(StreamWrite, "stream.write")                                                    \
    ARG(std::string, stream_key, "streamKey")                                            \
    ARG(std::string, data, "data")                                                       \
  END()                                                                                  \
  EFFECT(StreamClose, "stream.close")                                                    \
    ARG(std::string, stream_key, "streamKey")                                            \
  END()                                                                                  \
  /* rendezvous and cancellation between calls of one object; time */                    \
  EFFECT(MailboxWait, "mailbox.wait")                                                    \
    ARG(std::string, key, "key")                                                         \
    ARG(std::int64_t, timeout_ms, "timeoutMs")                                           \
  END()                                                                                  \
  EFFECT(MailboxPost, "mailbox.post")                                                    \
    ARG(std::string, key, "key")                                                         \
    ARG(Json, value, "value")                                                            \
  END()                                                                                  \
  EFFECT(CallTag, "call.tag")                                                            \
    ARG(std::string, tag, "tag")                                                         \
  END()                                                                                  \
  EFFECT(CallCancel, "call.cancel")                                                      \
    ARG(std::string, tag, "tag")                                                         \
  END()                                                                                  \
  EFFECT(Sleep, "sleep")                                                                 \
    ARG(std::int64_t, ms, "ms")                                                          \
  END()                                                                                  \
  /* outbound WebSocket client */                                                        \
  EFFECT(WsOpen, "ws.open")                                                              \
    ARG(std::string, url, "url")                                                         \
    ARG(std::int64_t, timeout_ms, "timeoutMs")                                           \
  END()                                                                                  \
  EFFECT(WsSend, "ws.send")                                                              \
    ARG(std::string, socket, "socket")                                                   \
    ARG(std::string, data, "data")                                                       \
  END()                                                                                  \
  EFFECT(WsReceive, "ws.receive")                                                        \
    ARG(std::string, socket, "socket")                                                   \
    ARG(std::int64_t, timeout_ms, "timeoutMs")                                           \
  END()                                                                                  \
  EFFECT(WsClose, "ws.close")                                                            \
    ARG(std::string, socket, "socket")                                                   \
  END()                                                                                  \
  /* platform bindings for durable work */                                               \
  EFFECT(WorkflowCreate, "workflow.create")                                              \
    ARG(std::string, binding, "binding")                                                 \
    ARG(std::string, id, "id")                                                           \
    ARG(Json, params, "params")                                                          \
  END()                                                                                  \
  EFFECT(QueueSend, "queue.send")                                                        \
    ARG(std::string, binding, "binding")                                                 \
    ARG(Json, body, "body")                                                              \
  END()                                                                                  \
  EFFECT(ObjectFetch, "object.fetch")                                                    \
    ARG(std::string, binding, "binding")                                                 \
    ARG(std::string, name, "name")                                                       \
    ARG(http::Request, request, "request")                                               \
  END()                                                                                  \
  EFFECT(HubBroadcast, "hub.broadcast")                                                  \
    ARG(Json, channels, "channels")                                                      \
    ARG(std::string, data, "data")                                                       \
  END()                                                                                  \
  /* R2: the knowledge documents */                                                      \
  EFFECT(R2Get, "r2.get")                                                                \
    ARG(std::string, key, "key")                                                         \
  END()                                                                                  \
  EFFECT(R2List, "r2.list")                                                              \
    ARG(std::string, prefix, "prefix")                                                   \
  END()                                                                                  \
  EFFECT(R2Put, "r2.put")                                                                \
    ARG(std::string, key, "key")                                                         \
    ARG(std::string, value, "value")                                                     \
    ARG(std::string, content_type, "contentType")                                        \
  END()
// clang-format on

// The argument structs: `struct KvPut { static constexpr std::string_view kKind = "kv.put";
// std::string key; std::string value; std::int64_t ttl; };` and so on, aggregates, so callers
// name what they set (`KvPut{.key = k, .value = v, .ttl = 60}`).
#define BMCP_EFFECT_STRUCT(Name, kind) \
  struct Name {                        \
    static constexpr std::string_view kKind = kind;
#define BMCP_EFFECT_MEMBER(type, member, wire) type member{};
#define BMCP_EFFECT_STRUCT_END() \
  }                              \
  ;
BMCP_EFFECTS(BMCP_EFFECT_STRUCT, BMCP_EFFECT_MEMBER, BMCP_EFFECT_STRUCT_END)
#undef BMCP_EFFECT_STRUCT
#undef BMCP_EFFECT_MEMBER
#undef BMCP_EFFECT_STRUCT_END

// The effect to perform: {kind, args}, each field under its wire name.
#define BMCP_EFFECT_DECLARE(Name, kind) Effect to_effect(Name args);
#define BMCP_EFFECT_NOTHING(...)
BMCP_EFFECTS(BMCP_EFFECT_DECLARE, BMCP_EFFECT_NOTHING, BMCP_EFFECT_NOTHING)
#undef BMCP_EFFECT_DECLARE

// Every kind the core can request, in the order of the table.
#define BMCP_EFFECT_KIND(Name, kind) kind,
inline constexpr std::string_view kEffectKinds[] = {
    BMCP_EFFECTS(BMCP_EFFECT_KIND, BMCP_EFFECT_NOTHING, BMCP_EFFECT_NOTHING)};
#undef BMCP_EFFECT_KIND
#undef BMCP_EFFECT_NOTHING

}  // namespace bmcp::effects
