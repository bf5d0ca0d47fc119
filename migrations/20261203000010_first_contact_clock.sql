-- Issue 19: an ANS version may measure the first contact within N calendar hours of receipt
-- (seed 002 §4: 24 h). A request keeps its version's N, like its first-response hours, and
-- the queues compare its instants with now like the other two clocks. NULL: not measured.
-- The business hours moved into the ANS versions; the instants are recomputed at start.
ALTER TABLE requests ADD COLUMN first_contact_hours BIGINT;
ALTER TABLE requests ADD COLUMN clock_contact_due BIGINT;
ALTER TABLE requests ADD COLUMN clock_contact_risk BIGINT;
-- Issue 20 (tiempo de primera respuesta, seed 000 §7): business seconds from receipt to the
-- first response, without time waiting on the customer, stored when the clock is met; the
-- report takes means and medians by tier and priority of the first responses of a period.
ALTER TABLE requests ADD COLUMN first_response_business_seconds BIGINT;
CREATE INDEX requests_first_response_idx ON requests (first_response_at);
