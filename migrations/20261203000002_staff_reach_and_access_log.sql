-- Least privilege for staff (Ley 1581 art. 4 lit. g, acceso y circulación restringida): an
-- area's specialist opens only the requests escalated to one of their areas, now or before.
-- `requests.area_id` holds only the latest area, so every escalation is kept here too.
CREATE TABLE request_areas (
    request_id TEXT NOT NULL REFERENCES requests (id),
    area_id TEXT NOT NULL REFERENCES areas (id),
    first_at BIGINT NOT NULL,
    PRIMARY KEY (request_id, area_id)
);
CREATE INDEX request_areas_area_idx ON request_areas (area_id, request_id);
INSERT INTO request_areas (request_id, area_id, first_at)
    SELECT id, area_id, updated_at FROM requests WHERE area_id IS NOT NULL;

-- Who among staff opened which request or downloaded which file, and when (Ley 1581 art. 17:
-- the responsible must know who reached the data). Append-only; a supervisor reads a request's.
CREATE TABLE access_log (
    id TEXT PRIMARY KEY,
    occurred_at BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    user_label TEXT NOT NULL,
    role TEXT NOT NULL,
    request_id TEXT NOT NULL REFERENCES requests (id),
    attachment_id TEXT,
    what TEXT NOT NULL
);
CREATE INDEX access_log_request_idx ON access_log (request_id, occurred_at);
CREATE INDEX access_log_user_idx ON access_log (user_id, occurred_at);
CREATE INDEX request_messages_kind_idx ON request_messages (kind, request_id);

-- The hourly quotas (platform::quota) count registrations per client address and messages
-- per customer.
CREATE INDEX data_consents_ip_idx ON data_consents (client_ip, accepted_at);
CREATE INDEX request_messages_author_idx ON request_messages (author_user_id, created_at);
