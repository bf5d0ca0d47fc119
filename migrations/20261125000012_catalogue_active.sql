-- Catalogue administration (issue 5): supervisors keep categories, subcategories and causes
-- from the staff pages. An entry that requests already name is never deleted, only
-- deactivated: pickers for new filings and typifications leave it out, while the requests
-- filed or typified under it keep showing its name (they join on the row, which stays).
-- BIGINT 0/1 like every flag here (a SQLite BOOLEAN cannot be decoded through sqlx `Any`).
ALTER TABLE categories ADD COLUMN active BIGINT NOT NULL DEFAULT 1;
ALTER TABLE subcategories ADD COLUMN active BIGINT NOT NULL DEFAULT 1;
ALTER TABLE causes ADD COLUMN active BIGINT NOT NULL DEFAULT 1;
