-- Delivery bookkeeping for the notification outbox (seed 000 §6). Portable between SQLite
-- and PostgreSQL like the foundation: TEXT and BIGINT Unix seconds only.
--
-- A worker claims a row by moving it from 'pendiente' to 'enviando' with a random
-- claim_token and a lease (claimed_until). Only the holder of the token may record the
-- outcome; a row whose lease ran out (its worker died mid-delivery) is claimed again, so
-- nothing is lost. After the last allowed attempt the row becomes 'fallida', keeping the
-- last error for the admins' page.
ALTER TABLE notification_outbox ADD COLUMN claim_token TEXT;
ALTER TABLE notification_outbox ADD COLUMN claimed_until BIGINT;
ALTER TABLE notification_outbox ADD COLUMN last_error TEXT;
ALTER TABLE notification_outbox ADD COLUMN failed_at BIGINT;
