-- Every refresh token a grant has issued (its "token family", OAuth 2.1 §4.3.1, RFC 9700
-- §4.14.2), hash only. The grant row holds the current token and the previous one; a
-- superseded token found only here was used already and its reuse means it was copied,
-- so the whole grant is revoked. Rows older than the refresh-token lifetime are deleted
-- as the grant rotates.
CREATE TABLE oauth_refresh_tokens (
  token_hash  TEXT PRIMARY KEY,           -- SHA-256 (hex) of the refresh token
  grant_id    TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  issued_at   INTEGER NOT NULL
);
CREATE INDEX oauth_refresh_tokens_grant ON oauth_refresh_tokens (grant_id, issued_at);
