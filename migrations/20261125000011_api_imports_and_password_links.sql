-- Issue 7: survey bases imported through the REST API. The import still runs under the
-- permission of the supervisor or admin who answers for the key (imported_by), and the key
-- that made the call is kept beside it.
ALTER TABLE detractor_imports ADD COLUMN imported_by_api_key_id TEXT REFERENCES api_keys (id);

-- Links to set a password, e-mailed to a customer whose account was created on their behalf
-- (no password yet) or who forgot theirs. Only the SHA-256 of the token is kept; a link works
-- once (used_at) and until expires_at; issuing a new one retires the person's older ones.
-- purpose: 'crear' or 'recuperar'.
CREATE TABLE password_links (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    token_sha256 TEXT NOT NULL,
    purpose TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    CONSTRAINT password_links_token_unique UNIQUE (token_sha256)
);
CREATE INDEX password_links_user_idx ON password_links (user_id, created_at);
