-- Transactional survey and the detractor recovery desk (issue 6; seed 000 §7, seed 003,
-- seed 004 "voz del cliente"). Portable between SQLite and PostgreSQL like the rest:
-- TEXT ids made by the application, BIGINT Unix seconds, BIGINT 0/1 flags.

-- One invitation per request, created in the transaction that closes it. The token is a
-- 128-bit random id: the e-mail link carries it, so it is the only thing that lets someone
-- answer without signing in. The answer lives in the same row, written once by a
-- conditional update (`answered_at IS NULL AND expires_at > now`), so two submits race to
-- one winner on both engines.
CREATE TABLE survey_invitations (
    id TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    request_id TEXT NOT NULL REFERENCES requests (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    answered_at BIGINT,
    csat BIGINT,
    nps BIGINT,
    -- "¿Se resolvió su solicitud?": feeds first-contact resolution.
    resolved BIGINT,
    comment TEXT,
    CONSTRAINT survey_invitations_token_unique UNIQUE (token),
    CONSTRAINT survey_invitations_request_unique UNIQUE (request_id)
);
CREATE INDEX survey_invitations_answered_idx ON survey_invitations (answered_at);

-- Seed 003: a bad answer (NPS 0–6 or CSAT 1–2) opens one recovery case, assigned by load,
-- handled within 24 hours (due_at), closed as contacted, not contacted or excluded.
CREATE TABLE recovery_cases (
    id TEXT PRIMARY KEY,
    invitation_id TEXT NOT NULL REFERENCES survey_invitations (id),
    request_id TEXT NOT NULL REFERENCES requests (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    segment TEXT NOT NULL,
    assignee_id TEXT REFERENCES users (id),
    status TEXT NOT NULL,
    -- Set on close: contactado, no_contactado or excluido.
    outcome TEXT,
    reason TEXT,
    solution TEXT,
    opened_at BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    closed_at BIGINT,
    CONSTRAINT recovery_cases_invitation_unique UNIQUE (invitation_id)
);
CREATE INDEX recovery_cases_status_idx ON recovery_cases (status, due_at);
CREATE INDEX recovery_cases_assignee_idx ON recovery_cases (assignee_id, status);

-- Every contact attempt, in order; more than two failed ones close the case (seed 003 §4).
CREATE TABLE recovery_attempts (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES recovery_cases (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    result TEXT NOT NULL,
    attempted_at BIGINT NOT NULL
);
CREATE INDEX recovery_attempts_case_idx ON recovery_attempts (case_id, attempted_at);
