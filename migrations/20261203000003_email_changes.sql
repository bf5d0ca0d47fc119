-- Changing the e-mail (OWASP ASVS 2.5.x / 3.7.1): the new address is used only once its owner
-- follows the link sent to it, and the old address is told. Only the link's SHA-256 is kept.
CREATE TABLE email_changes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    new_email TEXT NOT NULL,
    token_sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    CONSTRAINT email_changes_token_unique UNIQUE (token_sha256)
);
CREATE INDEX email_changes_user_idx ON email_changes (user_id, created_at);
