-- The service line's calls, as the PBX records them (issue 20; seed 001 §5.3 "Atención
-- oportuna de llamadas": attended ÷ received). One row per call, from the call detail
-- records' CSV import or `POST /api/v1/calls`. external_id is the switchboard's own id: the
-- same record sent twice is stored once. agent_id is the staff member who took it when the
-- record names one Ventanilla knows (agent_name keeps what the PBX wrote); request_id links
-- the call to the request it was about.
CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    external_id TEXT UNIQUE,
    started_at BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    wait_seconds BIGINT,
    duration_seconds BIGINT,
    caller TEXT NOT NULL DEFAULT '',
    agent_id TEXT REFERENCES users (id),
    agent_name TEXT NOT NULL DEFAULT '',
    request_id TEXT REFERENCES requests (id),
    import_id TEXT,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT REFERENCES users (id),
    recorded_by_api_key_id TEXT
);

CREATE INDEX calls_started_at ON calls (started_at);
CREATE INDEX calls_request ON calls (request_id);

-- A CDR file between its upload and the mapping step (the bytes in the attachment store).
CREATE TABLE call_uploads (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    uploaded_at BIGINT NOT NULL
);
