-- The conversation of a request, its attachments, its pauses, and what the customer portal
-- needs to file and close requests safely. Portable SQLite/PostgreSQL like the first migration.

-- A hidden token from the filing form: a double click or a resent form files one request.
ALTER TABLE requests ADD COLUMN submission_token TEXT;
CREATE UNIQUE INDEX requests_submission_token_idx ON requests (submission_token);
-- "Nueva solicitud relacionada": a closed request never reopens; a new one links to it.
ALTER TABLE requests ADD COLUMN related_request_id TEXT REFERENCES requests (id);
ALTER TABLE requests ADD COLUMN links TEXT NOT NULL DEFAULT '';
-- When the first public answer stopped the first-response clock.
ALTER TABLE requests ADD COLUMN first_response_at BIGINT;
-- When staff answered (state respondida): the automatic close counts from here.
ALTER TABLE requests ADD COLUMN answered_at BIGINT;
ALTER TABLE requests ADD COLUMN closed_at BIGINT;


-- Public follow-ups (both sides) and internal staff notes; customers never see the latter.
CREATE TABLE request_messages (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests (id),
    author_user_id TEXT REFERENCES users (id),
    author_label TEXT NOT NULL,
    from_customer BIGINT NOT NULL,
    visibility TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX request_messages_request_idx ON request_messages (request_id, created_at);

-- Files live on disk, content-addressed by SHA-256; the database keeps who, what and where.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests (id),
    message_id TEXT NOT NULL REFERENCES request_messages (id),
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_request_idx ON attachments (request_id);
CREATE INDEX attachments_sha_idx ON attachments (sha256);

-- Time waiting on the customer (Ley 1755 art. 17): both clocks skip these intervals.
CREATE TABLE request_pauses (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests (id),
    started_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX request_pauses_request_idx ON request_pauses (request_id);

-- When an answered request closes by itself, computed by the domain calendar when it is
-- answered (seed 000 §5 e: three days without a customer reply), so the closer is a query.
ALTER TABLE requests ADD COLUMN auto_close_at BIGINT;
CREATE INDEX requests_auto_close_idx ON requests (state, auto_close_at);
