-- Canned answers (plantillas, issue 5): texts supervisors keep so agents answer the same
-- question the same way. Portable like the rest: TEXT ids made by the application, BIGINT
-- Unix seconds, BIGINT 0/1 flags. A plantilla is never deleted, only deactivated, so the
-- audit history that names it keeps pointing at a row.
CREATE TABLE canned_answers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    -- NULL: offered for every request type; otherwise only for that type (legal.rs codes).
    request_type TEXT,
    active BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX canned_answers_active_idx ON canned_answers (active, name);
