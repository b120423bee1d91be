-- 2026-07-28 multi round-trip requests (input_required): a retry that brings the person's
-- answers carries the server's sealed requestState, and each one is honoured once — a
-- replayed retry (a confirmed order sent again) finds its nonce here and is refused.
-- Rows are deleted once their state could no longer be opened anyway.
CREATE TABLE used_request_states (
  nonce       TEXT PRIMARY KEY,
  expires_at  INTEGER NOT NULL              -- epoch ms: the state's own expiry
);
CREATE INDEX used_request_states_expiry ON used_request_states (expires_at);
