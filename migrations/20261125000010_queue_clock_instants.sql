-- The agent queues in SQL (issue 5: the queue page at 100,000 requests, p99 ≤ 50 ms).
-- Portable SQLite/PostgreSQL like the first migration.
--
-- A clock's reading changes with time at only two instants: when it turns "por vencer"
-- (less than 25 % of its business time left) and when it is breached (past due). Everything
-- else it depends on changes only when the request is written, so every writer stores both
-- instants of both clocks here (app/src/ssr/clocks.rs), and "Por vencer" and "Vencidas" are
-- comparisons with now instead of a business-time computation per open request.
--
-- NULL means the clock cannot get there: it does not apply (no ANS guarantee, felicitación),
-- it was met, or it is paused (pendiente del cliente) before being due. `first_response_due`
-- and `legal_due_date` stay as they were: the dues promised at filing and the legal date in
-- force, shown to the customer.
ALTER TABLE requests ADD COLUMN clock_first_due BIGINT;
ALTER TABLE requests ADD COLUMN clock_first_risk BIGINT;
ALTER TABLE requests ADD COLUMN clock_legal_due BIGINT;
ALTER TABLE requests ADD COLUMN clock_legal_risk BIGINT;
-- Which calendar and rules computed the instants (a fingerprint). A migration cannot run the
-- domain calendar, so existing rows are filled at start-up: every open request whose basis is
-- missing or differs from the running configuration (a new local holiday moves dues) is
-- recomputed once (`ssr::clocks::backfill`).
ALTER TABLE requests ADD COLUMN clock_basis TEXT;

-- The queue page and its counts: the open requests in queue order (priority rank, then
-- receipt) with every column a queue selects on. The 200 rows shown are found from this index
-- alone (index-only on PostgreSQL) and the walk stops there; the counts are one pass over it.
-- Partial: the closed history, 90 % of the table, is not in it. One index and not a second,
-- narrower one for the counts: PostgreSQL, which estimates "unassigned" over the whole table,
-- then chose the narrower one for "Sin asignar" and fetched and sorted every unassigned row.
CREATE INDEX requests_queue_idx ON requests (
    (CASE priority WHEN 'alta' THEN 0 WHEN 'media' THEN 1 ELSE 2 END), received_at, radicado, id,
    priority, state, assignee_id, area_id,
    clock_first_due, clock_first_risk, clock_legal_due, clock_legal_risk
) WHERE state IN ('radicada', 'en_gestion', 'pendiente_cliente', 'escalada', 'en_revision', 'respondida');
