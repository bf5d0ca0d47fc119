-- Ventanilla foundation schema. Portable between SQLite and PostgreSQL (DESIGN.md §2):
-- ids are application-generated TEXT, instants are BIGINT Unix seconds (UTC), flags are
-- BIGINT 0/1 because a SQLite BOOLEAN cannot be decoded through sqlx's Any driver.

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    document_type TEXT NOT NULL,
    document_number TEXT NOT NULL,
    -- The number with only letters and digits, upper case: what sign-in compares, so that
    -- "900.123.456-7" and "9001234567" find the same account.
    document_key TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'normal',
    segment TEXT NOT NULL DEFAULT 'hogar',
    monthly_contract_cop BIGINT,
    service_status TEXT NOT NULL DEFAULT 'activo',
    payments_up_to_date BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    CONSTRAINT accounts_document_unique UNIQUE (document_type, document_number)
);

CREATE INDEX accounts_document_key_idx ON accounts (document_key);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    account_id TEXT REFERENCES accounts (id),
    role TEXT NOT NULL,
    email TEXT NOT NULL,
    full_name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT users_email_unique UNIQUE (email)
);
CREATE INDEX users_account_idx ON users (account_id);

-- Ley 1581 de 2012 art. 9 and art. 17(b): keep proof of the authorization, with the exact
-- version of the text the person accepted and when.
CREATE TABLE data_consents (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    policy_version TEXT NOT NULL,
    policy_sha256 TEXT NOT NULL,
    accepted_at BIGINT NOT NULL,
    client_ip TEXT NOT NULL
);
CREATE INDEX data_consents_user_idx ON data_consents (user_id);

-- Server-side sessions: the cookie carries a random token, the table keeps only its hash.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Sign-in attempts, kept in the database so the limit holds across server instances.
CREATE TABLE sign_in_attempts (
    id TEXT PRIMARY KEY,
    login_key TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    succeeded BIGINT NOT NULL,
    attempted_at BIGINT NOT NULL
);
CREATE INDEX sign_in_attempts_key_idx ON sign_in_attempts (login_key, attempted_at);
CREATE INDEX sign_in_attempts_ip_idx ON sign_in_attempts (client_ip, attempted_at);

CREATE TABLE areas (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    CONSTRAINT areas_name_unique UNIQUE (name)
);

CREATE TABLE area_members (
    area_id TEXT NOT NULL REFERENCES areas (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (area_id, user_id)
);

CREATE TABLE categories (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    area_id TEXT REFERENCES areas (id),
    position BIGINT NOT NULL,
    CONSTRAINT categories_name_unique UNIQUE (name)
);

-- One row per year: the radicado sequence (YYYY-NNNNNN) restarts every year.
CREATE TABLE radicado_sequences (
    year BIGINT PRIMARY KEY,
    last_value BIGINT NOT NULL
);

CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    radicado TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    request_type TEXT NOT NULL,
    category_id TEXT REFERENCES categories (id),
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    priority TEXT NOT NULL,
    channel TEXT NOT NULL,
    state TEXT NOT NULL,
    tier TEXT NOT NULL,
    ans_guaranteed BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    first_response_due BIGINT,
    legal_due_date TEXT,
    assignee_id TEXT REFERENCES users (id),
    area_id TEXT REFERENCES areas (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT requests_radicado_unique UNIQUE (radicado)
);
CREATE INDEX requests_account_idx ON requests (account_id, updated_at);
CREATE INDEX requests_state_idx ON requests (state, received_at);

-- Append-only history: who did what, when. Written in the same transaction as the change.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    occurred_at BIGINT NOT NULL,
    actor_user_id TEXT,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id, occurred_at);

-- Notification outbox: rows are written with the change that causes them, in the same
-- transaction, and delivered later by a worker, so a crash never loses a notification.
CREATE TABLE notification_outbox (
    id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    template TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX notification_outbox_due_idx ON notification_outbox (status, next_attempt_at);
