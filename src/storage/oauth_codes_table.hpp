// The `oauth_codes` table: authorization codes we issued to MCP clients, stored only as the
// SHA-256 of the code. A code is single use: `consume_code` marks it used with a
// conditional UPDATE, so of two concurrent exchanges exactly one wins. Used codes are kept
// until they expire so that a replay can be recognised (and the grant it created revoked).
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "storage/d1_rows.hpp"

#include <optional>
#include <string>

namespace bmcp::storage {

struct CodeRecord {
  std::string code_hash;
  std::string grant_id;
  std::string client_id;
  std::string user_id;
  std::string redirect_uri;
  std::string code_challenge;
  std::string resource;
  std::string scope;
  std::int64_t expires_at = 0;          // epoch ms
  std::optional<std::int64_t> used_at;  // set once exchanged
};

Statement insert_code_statement(const CodeRecord& code);

Task<Lookup<CodeRecord>> find_code(Io& io, const std::string& code_hash);

// Marks the code used if it still is unused. `applied` false: someone else used it first.
Task<Write> consume_code(Io& io, const CodeRecord& code, std::int64_t now_ms);

}  // namespace bmcp::storage
