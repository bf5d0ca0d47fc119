-- When a session was last used: a session idle longer than VENTANILLA_SESSION_IDLE_MINUTES
-- ends, whatever its absolute expiry (OWASP ASVS 3.3.2). Existing sessions count from their start.
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;
