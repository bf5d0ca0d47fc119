-- Issue 20: what an answer did (solucionada, no_procede, sin_solucion), chosen by whoever
-- answers; with the close it decides the "cierre efectivo de PQR" (ventanilla::lifecycle::
-- AnswerOutcome). NULL for requests answered before it was recorded.
ALTER TABLE requests ADD COLUMN answer_outcome TEXT;
