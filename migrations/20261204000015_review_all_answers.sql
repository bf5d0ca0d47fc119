-- An admin can send every answer of a staff member to quality review (a new asesor), above
-- the ANS's share (seed 002 §4 sets a minimum, not a maximum). 1: every answer; 0: the share.
ALTER TABLE users ADD COLUMN review_all BIGINT NOT NULL DEFAULT 0;
