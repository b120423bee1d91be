-- Durable analysis (Workflows, Queue, the person's WebSocket hub).

-- Where a running analysis is, for get_workflow_status and the waiting tool call:
-- a fraction 0–1 and the step in words. Set to 1 when the run completes.
ALTER TABLE analyses ADD COLUMN progress REAL NOT NULL DEFAULT 0;
ALTER TABLE analyses ADD COLUMN progress_message TEXT;

-- Every progress and completion event the Queue consumer delivered, once each (the Queue
-- delivers at least once; `id` makes a redelivery a no-op). Read back by
-- get_workflow_status as the run's timeline.
CREATE TABLE analysis_events (
  id            TEXT PRIMARY KEY,          -- <analysis id>:<event type>:<step>
  analysis_id   TEXT NOT NULL REFERENCES analyses(id),
  user_id       TEXT NOT NULL REFERENCES users(id),
  type          TEXT NOT NULL,             -- 'analysis.progress' | 'analysis.complete'
  body          TEXT NOT NULL,             -- JSON, as broadcast (no user id)
  created_at    INTEGER NOT NULL
);
CREATE INDEX analysis_events_run ON analysis_events (analysis_id, created_at);

-- Single-use tickets for opening the WebSocket hub from a browser (which cannot set an
-- Authorization header on a WebSocket): only the SHA-256 of the ticket is stored; valid
-- for 60 seconds.
CREATE TABLE ws_tickets (
  ticket_hash   TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users(id),
  expires_at    INTEGER NOT NULL           -- epoch ms
);
