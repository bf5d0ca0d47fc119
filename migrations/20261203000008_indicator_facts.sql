-- Issue 20: what the indicators need, stored when it happens so the dashboard is sums, not a
-- walk over every request. When a clock is met (the first response, the answer) the request
-- records whether it was on time by the domain's own clock, pauses and prórroga included:
-- 1 on time, 0 late, NULL not met yet (or no such clock).
ALTER TABLE requests ADD COLUMN first_response_on_time BIGINT;
ALTER TABLE requests ADD COLUMN legal_on_time BIGINT;
CREATE INDEX requests_answered_idx ON requests (answered_at);
CREATE INDEX requests_received_idx ON requests (received_at);
