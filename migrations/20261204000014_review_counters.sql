-- Quality review as a guaranteed minimum per agent (seed 002 §4 "por lo menos el 50 %"):
-- how many answers each staff member has sent and how many of them went through review,
-- updated in the answer's own transaction (`ventanilla::review`).
CREATE TABLE review_counters (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    answers BIGINT NOT NULL,
    reviewed BIGINT NOT NULL
);
