-- Issue 19: customer accounts come in bulk from the ERP's export (CSV or XLSX), upserted by
-- document. One row per import run, for the history; the file itself waits between the
-- upload and the mapping step in customer_uploads (the bytes in the attachment store).
-- imported_by is the person (UI) or NULL when an API key imported (imported_by_api_key_id).
CREATE TABLE customer_imports (
    id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    imported_by TEXT REFERENCES users (id),
    imported_by_api_key_id TEXT,
    imported_at BIGINT NOT NULL,
    created_count BIGINT NOT NULL,
    updated_count BIGINT NOT NULL,
    unchanged_count BIGINT NOT NULL,
    skipped_count BIGINT NOT NULL
);

CREATE TABLE customer_uploads (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    uploaded_at BIGINT NOT NULL
);
