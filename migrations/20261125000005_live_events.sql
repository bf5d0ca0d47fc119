-- The live event log (issue 5 "Live events": "resumable with Last-Event-ID so that a dropped
-- connection loses no event"). Every event a browser may be pushed is kept here for a
-- bounded time (VENTANILLA_EVENT_RETENTION_HOURS) under a number that grows by one per
-- event, so a reconnecting stream replays exactly what came after the last id it saw.
--
-- The number comes from a one-row counter, not from an engine's sequence: `UPDATE … SET
-- last_id = last_id + 1 RETURNING last_id` is portable, and its row lock, held until the
-- event's transaction commits, makes ids commit in the order they are handed out. A reader
-- that sees id N therefore already sees every id below N — which a PostgreSQL sequence does
-- not promise (two transactions may take 5 and 6 and commit 6 first).
CREATE TABLE live_event_counter (
    singleton BIGINT PRIMARY KEY,
    last_id BIGINT NOT NULL
);
INSERT INTO live_event_counter (singleton, last_id) VALUES (1, 0);

CREATE TABLE live_events (
    id BIGINT PRIMARY KEY,
    radicado TEXT NOT NULL,
    -- The customer account the request belongs to: a customer replays only these.
    account_id TEXT NOT NULL,
    change TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX live_events_account_idx ON live_events (account_id, id);
CREATE INDEX live_events_created_idx ON live_events (created_at);
