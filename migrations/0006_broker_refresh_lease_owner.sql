-- Broker token refresh: the lease names its holder. The caller that takes the lease writes a
-- random owner token here; it stores the refreshed tokens (and gives the lease back) only
-- while the row still names it, whatever else changed the row meanwhile (an invalidation
-- bumps `version`, and must not throw away tokens the broker has already rotated). A new
-- sign-in clears it.
ALTER TABLE user_oauth_tokens ADD COLUMN refresh_lease_owner TEXT;
