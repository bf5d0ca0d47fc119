-- Issue 7: the public REST API.

-- Keys are created by an admin and shown once. The secret is 32 random bytes, so its SHA-256
-- is enough to keep it (no password hashing on every call); `prefix` is the visible start of
-- the key, to tell keys apart in lists and logs.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    -- Space-separated scopes, e.g. "requests:read requests:write".
    scopes TEXT NOT NULL,
    rate_limit_per_minute BIGINT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    CONSTRAINT api_keys_secret_unique UNIQUE (secret_sha256)
);

-- The first answer to a POST carrying an Idempotency-Key, replayed to every retry. `status`
-- stays NULL while the first call is still running.
CREATE TABLE api_idempotency (
    api_key_id TEXT NOT NULL REFERENCES api_keys (id),
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status BIGINT,
    body TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (api_key_id, idempotency_key)
);

-- Every API call is attributed in the history to the key that made it.
ALTER TABLE audit_events ADD COLUMN actor_api_key_id TEXT REFERENCES api_keys (id);

-- Ley 1581 consent given through another channel than the portal (an agent on the phone, an
-- integration's own form) is recorded with that channel.
ALTER TABLE data_consents ADD COLUMN channel TEXT NOT NULL DEFAULT 'portal';
