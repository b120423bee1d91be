-- broker-mcp storage schema, version 1. D1 is the system of record (strongly consistent);
-- KV holds caches only. Every table that holds a person's data carries user_id, and every
-- query binds it (src/storage/*). Times are Unix epoch milliseconds. Secrets are never
-- stored in the clear: tokens and codes we issue are stored as SHA-256 hashes; broker
-- tokens are sealed with AES-256-GCM under TOKEN_ENCRYPTION_KEY.

-- A person, identified by their broker identity (tastytrade external-id, Schwab customer id).
-- id is "<provider>:<broker identity>", so the same person at two brokers is two users.
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  provider      TEXT NOT NULL,            -- 'schwab' | 'tastytrade'
  external_id   TEXT NOT NULL,
  email         TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  UNIQUE (provider, external_id)
);

-- OAuth clients registered with RFC 7591 (or cached Client ID Metadata Documents).
CREATE TABLE oauth_clients (
  client_id           TEXT PRIMARY KEY,
  client_secret_hash  TEXT,                -- NULL for public clients (auth method "none")
  metadata            TEXT NOT NULL,       -- registered metadata, JSON
  created_at          INTEGER NOT NULL,
  last_used_at        INTEGER
);

-- Authorization codes: single use, short-lived, bound to client, redirect URI, PKCE
-- challenge and resource. Kept after use (used_at) so a replay can revoke its grant.
CREATE TABLE oauth_codes (
  code_hash       TEXT PRIMARY KEY,
  grant_id        TEXT NOT NULL,
  client_id       TEXT NOT NULL,
  user_id         TEXT NOT NULL,
  redirect_uri    TEXT NOT NULL,
  code_challenge  TEXT NOT NULL,
  resource        TEXT NOT NULL,
  scope           TEXT NOT NULL,
  expires_at      INTEGER NOT NULL,
  used_at         INTEGER
);

-- A grant: one person's authorization of one client for one resource. Holds the current
-- refresh token hash and the previous one (accepted during a short grace window so a
-- client can retry a refresh whose answer it lost; reuse after that revokes the grant).
CREATE TABLE oauth_grants (
  id                            TEXT PRIMARY KEY,
  user_id                       TEXT NOT NULL REFERENCES users(id),
  client_id                     TEXT NOT NULL,
  scope                         TEXT NOT NULL,
  resource                      TEXT NOT NULL,
  refresh_token_hash            TEXT UNIQUE,
  previous_refresh_token_hash   TEXT,
  previous_valid_until          INTEGER,
  created_at                    INTEGER NOT NULL,
  expires_at                    INTEGER NOT NULL,
  revoked_at                    INTEGER
);
CREATE INDEX oauth_grants_user ON oauth_grants (user_id);
CREATE INDEX oauth_grants_previous ON oauth_grants (previous_refresh_token_hash);

-- Broker tokens (seed 000's user_oauth_tokens): one row per person and broker, sealed.
-- version increases on every write; refresh_lease_until makes refresh single-flight: the
-- caller that moves the lease forward refreshes, the others wait for the new version.
CREATE TABLE user_oauth_tokens (
  user_id               TEXT NOT NULL REFERENCES users(id),
  provider              TEXT NOT NULL,
  sealed_tokens         TEXT NOT NULL,     -- sealed JSON {access_token, refresh_token, …}
  access_expires_at     INTEGER NOT NULL,
  refresh_expires_at    INTEGER,
  version               INTEGER NOT NULL DEFAULT 1,
  refresh_lease_until   INTEGER,
  invalid_reason        TEXT,              -- set when the broker refused the refresh token
  updated_at            INTEGER NOT NULL,
  PRIMARY KEY (user_id, provider)
);

-- The last positions fetched from the broker, so portfolio://positions can answer (marked
-- stale) when the broker is unreachable.
CREATE TABLE positions (
  user_id      TEXT NOT NULL REFERENCES users(id),
  provider     TEXT NOT NULL,
  snapshot     TEXT NOT NULL,              -- JSON, already scrubbed of account identifiers
  fetched_at   INTEGER NOT NULL,
  PRIMARY KEY (user_id, provider)
);

-- Analyses (chart and options-strategy runs), read back through history://analyses.
CREATE TABLE analyses (
  id            TEXT PRIMARY KEY,          -- also the Workflow instance id
  user_id       TEXT NOT NULL REFERENCES users(id),
  kind          TEXT NOT NULL,             -- 'chart' | 'full'
  symbol        TEXT NOT NULL,
  params        TEXT NOT NULL,             -- JSON
  status        TEXT NOT NULL,             -- 'running' | 'complete' | 'failed'
  result        TEXT,                      -- JSON, when complete
  error         TEXT,                      -- when failed
  created_at    INTEGER NOT NULL,
  completed_at  INTEGER
);
CREATE INDEX analyses_user_created ON analyses (user_id, created_at DESC);

-- Single-use order confirmations: bound to the person, the account and the exact order
-- (a digest of its canonical JSON); valid for 5 minutes.
CREATE TABLE order_confirmations (
  token_hash       TEXT PRIMARY KEY,
  user_id          TEXT NOT NULL REFERENCES users(id),
  provider         TEXT NOT NULL,
  action           TEXT NOT NULL,          -- 'place' | 'replace' | 'cancel'
  account_display  TEXT NOT NULL,
  order_digest     TEXT NOT NULL,
  preview          TEXT NOT NULL,          -- JSON shown to the person
  expires_at       INTEGER NOT NULL,
  used_at          INTEGER
);

-- Every mutating broker call, written before the call (status 'sent') and completed after.
CREATE TABLE order_journal (
  id               TEXT PRIMARY KEY,
  user_id          TEXT NOT NULL REFERENCES users(id),
  provider         TEXT NOT NULL,
  action           TEXT NOT NULL,
  account_display  TEXT NOT NULL,
  request          TEXT NOT NULL,          -- JSON, scrubbed
  confirmation     TEXT NOT NULL,          -- 'token' | 'elicitation'
  status           TEXT NOT NULL,          -- 'sent' | 'succeeded' | 'failed' | 'unknown'
  result           TEXT,
  created_at       INTEGER NOT NULL,
  completed_at     INTEGER
);
CREATE INDEX order_journal_user ON order_journal (user_id, created_at DESC);
