-- Bounds on RFC 7591 dynamic client registration (anyone may register, so it must not be
-- a way to fill D1): a fixed-window count of registrations per client address, and an
-- index to find the clients that were never used or not used for long, which expire.

-- One row per address (bucket "register:<SHA-256 of the address, truncated>", never the
-- address itself) and window; rows of past windows are deleted as registrations arrive.
CREATE TABLE registration_rate_windows (
  bucket        TEXT PRIMARY KEY,
  window_start  INTEGER NOT NULL,          -- epoch ms, a multiple of the window length
  count         INTEGER NOT NULL
);
CREATE INDEX registration_rate_windows_start ON registration_rate_windows (window_start);

-- last_used_at: the last time the client got tokens (NULL: never).
CREATE INDEX oauth_clients_expiry ON oauth_clients (last_used_at, created_at);
