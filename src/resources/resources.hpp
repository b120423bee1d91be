// The resources every signed-in person can read, broker-neutral:
//   portfolio://positions     their open positions (a broker module supplies the fetch);
//                             the last good answer is kept in D1 (`positions`), so when the
//                             broker is unreachable the snapshot answers, marked stale with
//                             its timestamp.
//   history://analyses        their 20 most recent analyses (D1 `analyses`).
//   knowledge://{category}/{topic}  Markdown documents from R2 (knowledge/<category>/<topic>.md),
//                             listed through a template; knowledge://options/strategies is
//                             also listed directly.
// On 2026-07-28 each read says how long it may be reused: knowledge for an hour by anyone,
// positions and analyses not at all (they are live and the person's own).
// Positions and analyses are subscribable (subscriptions/listen, and resources/subscribe on a
// session): a positions read that finds other holdings (a fill, a transfer — not a price
// move) than the last read, and an analysis that finishes, tell the person's listeners.
// Every query binds the signed-in person's id; nothing here takes a user id from input.
#pragma once

#include "base/result.hpp"
#include "mcp/catalog.hpp"

#include <functional>

namespace bmcp::resources {

inline constexpr const char* kPositionsUri = "portfolio://positions";
inline constexpr const char* kAnalysesUri = "history://analyses";
inline constexpr int kAnalysesLimit = 20;
// How long a 2026-07-28 client may reuse a knowledge document (public: the same for
// everyone); positions and analyses are live and private (mcp/cache_hints.hpp).
inline constexpr std::int64_t kKnowledgeTtlMs = 60 * 60 * 1000;

// Positions as the broker gave them now (a JSON array, already scrubbed of account
// identifiers), or plain words saying why the broker could not be asked.
using PositionsAnswer = Result<Json, std::string>;
using PositionsFetcher = std::function<Task<PositionsAnswer>(mcp::RequestContext&)>;

// D1 snapshot of a person's positions at one broker.
Task<bool> save_positions_snapshot(Io& io, std::string user_id, std::string provider,
                                   Json positions);
// {positions, fetchedAt} or null when there is none.
Task<Json> load_positions_snapshot(Io& io, std::string user_id, std::string provider);

mcp::ResourceDefinition make_positions_resource(std::string provider, PositionsFetcher fetch);
mcp::ResourceDefinition make_analyses_resource();

// The knowledge documents shipped with the server (topic -> title, description).
struct KnowledgeDoc {
  const char* category;
  const char* topic;
  const char* title;
  const char* description;
};
const std::vector<KnowledgeDoc>& knowledge_docs();
std::string knowledge_key(std::string_view category,
                          std::string_view topic);  // "knowledge/options/strategies.md"

// Adds portfolio-independent resources (analyses, knowledge) to a catalog.
void add_common_resources(mcp::Catalog& catalog);

}  // namespace bmcp::resources
