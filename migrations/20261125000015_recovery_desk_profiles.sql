-- The detractor desk's attention profiles, a submission token per contact attempt, and the
-- second survey recorded by the agent on the call (seed 003 §4 steps 2 and 4).

-- Seed 003 §4 step 2: "Se genera la asignación a los asesores de acuerdo con el número de
-- registros y el perfil de atención con el que cuentan." An asesor's profile is the set of
-- segments they attend; an asesor with no rows attends every segment.
CREATE TABLE agent_segments (
    user_id TEXT NOT NULL REFERENCES users (id),
    segment TEXT NOT NULL,
    PRIMARY KEY (user_id, segment)
);
CREATE INDEX agent_segments_segment_idx ON agent_segments (segment);

-- One form shown once logs one attempt: a double click or a resent form carries the same
-- token and logs nothing new (two "no contesta" from one click would close a case early).
ALTER TABLE recovery_attempts ADD COLUMN submission_token TEXT;
CREATE UNIQUE INDEX recovery_attempts_submission_idx ON recovery_attempts (submission_token);

-- Seed 003 §4 step 4: "Adicional ejecutará una segunda encuesta de satisfacción … enfocada
-- a la atención del asesor outbound". The agent may record the customer's answers during
-- the call; then this says who recorded them (NULL: the customer answered by the link).
ALTER TABLE recovery_surveys ADD COLUMN recorded_by TEXT REFERENCES users (id);
