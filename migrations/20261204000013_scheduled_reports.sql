-- Reports that go out by themselves (issue 20): the monthly report on the first business
-- day of the month, the weekly reporte de fallas. A row claims a report's period; the
-- primary key makes one instance the sender even when several run
-- (`indicators::server::schedule`).
CREATE TABLE scheduled_reports (
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    enqueued_at BIGINT NOT NULL,
    PRIMARY KEY (kind, period)
);
