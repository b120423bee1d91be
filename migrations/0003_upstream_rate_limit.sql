-- The deployment-wide limit on requests to a broker's API (seed 004: 120 requests per minute
-- per Schwab app, shared by every user of the deployment). One row per broker: a fixed
-- window and the number of requests counted in it. This table is deliberately not
-- user-scoped: the limit belongs to the deployment's API key, not to a person, and it holds
-- no personal data.
CREATE TABLE upstream_rate_windows (
  bucket        TEXT PRIMARY KEY,          -- 'schwab' | 'tastytrade'
  window_start  INTEGER NOT NULL,          -- epoch ms, a multiple of the window length
  count         INTEGER NOT NULL
);
