-- Issue 19: staff maintain customers' commercial data, block web access, keep notes.

-- Optimistic concurrency for edits of an account: an edit names the revision it read, and of
-- two people saving at once the second is told, instead of silently overwriting the first.
ALTER TABLE accounts ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;

-- Seed 004 §4 (PQRS 7–8): "registrar la información relevante" of the customer — contacts,
-- ownership changes, market information — with author and date. Append-only.
CREATE TABLE customer_notes (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    author_id TEXT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX customer_notes_account_idx ON customer_notes (account_id, created_at);

-- The customer search finds people by phone and by name as well as by document and e-mail.
CREATE INDEX users_phone_idx ON users (phone);
CREATE INDEX accounts_name_idx ON accounts (name, id);
