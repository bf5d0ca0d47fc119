-- Issue 19, seed 000 §11: the ANS settings (first-response matrix, VIP threshold, SMLMV of new
-- years, auto-close days, review sample) are published as numbered versions with an effective
-- instant. settings is the version as JSON (ventanilla::ans::AnsSettings). Version 1 is written
-- at the first start from the environment's defaults.
-- A request keeps the version it was filed under (requests.ans_version): its clocks never
-- change when a later version is published. Requests filed before versions existed have 1.
CREATE TABLE ans_versions (
    number BIGINT PRIMARY KEY,
    effective_at BIGINT NOT NULL,
    settings TEXT NOT NULL,
    note TEXT NOT NULL,
    published_by TEXT REFERENCES users (id),
    published_by_name TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    -- 1 when the admin asked to tell customers: the portal announces it, e-mails go out.
    announced BIGINT NOT NULL DEFAULT 0,
    customers_notified BIGINT NOT NULL DEFAULT 0
);

ALTER TABLE requests ADD COLUMN ans_version BIGINT NOT NULL DEFAULT 1;

-- The request carries its version's first-response hours for its tier and priority (NULL where
-- the pair is not allowed), so its clocks, here and in the browser, need no other lookup.
-- Filed requests get the matrix every request was filed under until now (seed 000 §4).
ALTER TABLE requests ADD COLUMN first_response_hours BIGINT;
UPDATE requests SET first_response_hours = CASE tier || ':' || priority
    WHEN 'vip:alta' THEN 1 WHEN 'vip:media' THEN 3 WHEN 'vip:baja' THEN 6
    WHEN 'regular:media' THEN 2 WHEN 'regular:baja' THEN 8
    WHEN 'flotante:media' THEN 4 WHEN 'flotante:baja' THEN 12 END;
