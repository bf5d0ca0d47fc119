-- Issue 20: the indicator catalogue's goals and owners, editable by an admin (seed 001 §5.3
-- gives each indicator a goal and a responsible). Formulas stay in code. A row overrides the
-- built-in goal of its indicator; goal_tenths is the goal in tenths of a percentage point
-- (975 = 97,5 %), NULL for an indicator measured without a goal.
CREATE TABLE indicator_goals (
    key TEXT PRIMARY KEY,
    goal_tenths BIGINT,
    owner TEXT NOT NULL DEFAULT '',
    updated_by_name TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
