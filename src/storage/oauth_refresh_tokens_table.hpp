// The `oauth_refresh_tokens` table: every refresh token a grant has issued, hash only (the
// grant's token family, OAuth 2.1 §4.3.1 and RFC 9700 §4.14.2 refresh token rotation).
//
// A token's hash is recorded before the grant row is updated to make it current, so a token
// a client ever received is always known here; a recorded hash that never became current
// belongs to a token nobody holds. The token endpoint uses this to tell a superseded token
// (used before: its reuse revokes the grant) from one that was never issued. Rows older
// than the refresh-token lifetime are deleted while the grant rotates, so a family stays
// about as large as the tokens issued in that lifetime.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "storage/d1_rows.hpp"

#include <cstdint>
#include <string>

namespace bmcp::storage {

struct RefreshTokenMember {
  std::string grant_id;
  std::string user_id;
};

// Records `token_hash` as issued for the grant and forgets members issued before
// `forget_before`. storage_ok is false when the record could not be written.
Task<Write> record_refresh_token(Io& io, const std::string& grant_id, const std::string& user_id,
                                 const std::string& token_hash, std::int64_t issued_at,
                                 std::int64_t forget_before);

// The grant that issued this refresh token, whether or not it is still current.
Task<Lookup<RefreshTokenMember>> find_refresh_token_member(Io& io, const std::string& token_hash);

}  // namespace bmcp::storage
