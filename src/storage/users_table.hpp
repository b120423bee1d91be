// The `users` table: a person as identified by a broker (migrations/0001_initial.sql).
// A user id is "<provider>:<broker identity>" (e.g. "schwab:1234567890"), so the provider
// of a signed-in person can be read from the id alone.
#pragma once

#include "effects/io.hpp"
#include "effects/task.hpp"
#include "storage/d1_rows.hpp"

#include <string>
#include <string_view>

namespace bmcp::storage {

std::string user_id_for(std::string_view provider, std::string_view external_id);

// The provider part of a user id ("schwab" for "schwab:123"); empty when malformed.
std::string provider_of_user(std::string_view user_id);

// INSERT, or refresh email and updated_at when the person is already known.
Statement upsert_user_statement(std::string_view user_id, std::string_view provider,
                                std::string_view external_id, std::string_view email,
                                std::int64_t now_ms);

// The person's email as last seen at their broker ("" when unknown).
Task<Lookup<std::string>> find_user_email(Io& io, const std::string& user_id);

}  // namespace bmcp::storage
