-- Working a request (issue 5): typification against a catalogue, and the one extension of
-- the legal term that Ley 1755 de 2015 art. 14 parágrafo allows. Portable SQLite/PostgreSQL
-- like the first migration.

-- Subcategories refine a category of the catalogue (seed 002 "tipificación"); a request can
-- only be typified with a subcategory of its own category.
CREATE TABLE subcategories (
    id TEXT PRIMARY KEY,
    category_id TEXT NOT NULL REFERENCES categories (id),
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    CONSTRAINT subcategories_name_unique UNIQUE (category_id, name)
);
CREATE INDEX subcategories_category_idx ON subcategories (category_id, position);

-- Causes say why the request happened (the root cause the indicators group by); they apply
-- to every category.
CREATE TABLE causes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    CONSTRAINT causes_name_unique UNIQUE (name)
);

ALTER TABLE requests ADD COLUMN subcategory_id TEXT REFERENCES subcategories (id);
ALTER TABLE requests ADD COLUMN cause_id TEXT REFERENCES causes (id);
ALTER TABLE requests ADD COLUMN typified_at BIGINT;

-- The prórroga: when the customer was told, why, and the new term in días hábiles counted
-- from `extension_basis` (ventanilla::legal::ExtensionBasis). `legal_due_date` holds the due
-- date in force, so lists that only read that column show the extended date.
ALTER TABLE requests ADD COLUMN extension_declared_at BIGINT;
ALTER TABLE requests ADD COLUMN extension_reason TEXT;
ALTER TABLE requests ADD COLUMN extension_days BIGINT;
ALTER TABLE requests ADD COLUMN extension_basis TEXT;
