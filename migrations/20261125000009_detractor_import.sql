-- Detractor bases imported from the client's BI tool (seed 003 §4 steps 1–2), the escalated
-- request a recovery call files, and the second survey about that call (step 4).
--
-- An imported record has no request, no survey invitation and maybe no account of ours, so
-- recovery_cases loses those NOT NULLs. Neither engine can drop a NOT NULL portably, so the
-- table (and recovery_attempts, which points at it) is rebuilt: new tables, copy, drop the
-- old ones child first, rename. SQLite rewrites the attempts' foreign key on the rename;
-- PostgreSQL keeps it by table identity. Constraint names are new because PostgreSQL names
-- their indexes schema-wide while the old tables still exist.

-- One row per import: who brought which file, and what came of it.
CREATE TABLE detractor_imports (
    id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    imported_by TEXT NOT NULL REFERENCES users (id),
    imported_at BIGINT NOT NULL,
    created_count BIGINT NOT NULL,
    duplicate_count BIGINT NOT NULL,
    skipped_count BIGINT NOT NULL
);

-- source: 'encuesta' (our transactional survey) or 'importacion' (a row of an external base).
-- external_key: what identifies an imported record across cuts; unique, so a record already
-- managed is "not replicated in the next cut" (seed 003 §4 step 4) even when two imports race.
-- customer_name, phone, email, account_code, nps, csat and comment are a snapshot of who to
-- call and what they said, whichever the source.
CREATE TABLE recovery_cases_v2 (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    invitation_id TEXT REFERENCES survey_invitations (id),
    request_id TEXT REFERENCES requests (id),
    account_id TEXT REFERENCES accounts (id),
    import_id TEXT REFERENCES detractor_imports (id),
    external_key TEXT,
    customer_name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    account_code TEXT NOT NULL DEFAULT '',
    nps BIGINT,
    csat BIGINT,
    comment TEXT NOT NULL DEFAULT '',
    segment TEXT NOT NULL,
    assignee_id TEXT REFERENCES users (id),
    status TEXT NOT NULL,
    outcome TEXT,
    reason TEXT,
    solution TEXT,
    -- The request an "escalado" solution filed to the responsible area.
    escalated_request_id TEXT REFERENCES requests (id),
    opened_at BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    closed_at BIGINT,
    CONSTRAINT recovery_cases_one_per_invitation UNIQUE (invitation_id),
    CONSTRAINT recovery_cases_one_per_external_key UNIQUE (external_key)
);

INSERT INTO recovery_cases_v2 (id, source, invitation_id, request_id, account_id, customer_name,
    phone, email, nps, csat, comment, segment, assignee_id, status, outcome, reason, solution,
    opened_at, due_at, closed_at)
SELECT c.id, 'encuesta', c.invitation_id, c.request_id, c.account_id, a.name,
    COALESCE((SELECT MIN(u.phone) FROM users u WHERE u.account_id = c.account_id), ''),
    COALESCE((SELECT MIN(u.email) FROM users u WHERE u.account_id = c.account_id), ''),
    s.nps, s.csat, COALESCE(s.comment, ''), c.segment, c.assignee_id, c.status, c.outcome,
    c.reason, c.solution, c.opened_at, c.due_at, c.closed_at
FROM recovery_cases c
JOIN accounts a ON a.id = c.account_id
JOIN survey_invitations s ON s.id = c.invitation_id;

CREATE TABLE recovery_attempts_v2 (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES recovery_cases_v2 (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    result TEXT NOT NULL,
    attempted_at BIGINT NOT NULL
);

INSERT INTO recovery_attempts_v2 (id, case_id, user_id, result, attempted_at)
SELECT id, case_id, user_id, result, attempted_at FROM recovery_attempts;

DROP TABLE recovery_attempts;
DROP TABLE recovery_cases;
ALTER TABLE recovery_cases_v2 RENAME TO recovery_cases;
ALTER TABLE recovery_attempts_v2 RENAME TO recovery_attempts;

CREATE INDEX recovery_cases_status_idx ON recovery_cases (status, due_at);
CREATE INDEX recovery_cases_assignee_idx ON recovery_cases (assignee_id, status);
CREATE INDEX recovery_cases_opened_idx ON recovery_cases (opened_at);
CREATE INDEX recovery_attempts_case_idx ON recovery_attempts (case_id, attempted_at);

-- The second survey (seed 003 §4 step 4: "una segunda encuesta de satisfacción … enfocada a
-- la atención del asesor outbound"), sent after an effective contact. Same token and
-- write-once rules as survey_invitations; the NPS here against the case's first one gives the
-- detractor → promoter conversion.
CREATE TABLE recovery_surveys (
    id TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES recovery_cases (id),
    account_id TEXT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    answered_at BIGINT,
    csat BIGINT,
    nps BIGINT,
    comment TEXT,
    CONSTRAINT recovery_surveys_token_unique UNIQUE (token),
    CONSTRAINT recovery_surveys_case_unique UNIQUE (case_id)
);
CREATE INDEX recovery_surveys_account_idx ON recovery_surveys (account_id, answered_at);

-- A base uploaded in the UI and waiting for its mapping step (the file itself is kept in the
-- attachment store by its SHA-256). Only its uploader can map and import it.
CREATE TABLE detractor_uploads (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    uploaded_at BIGINT NOT NULL
);
