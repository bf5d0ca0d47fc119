-- Relationship survey campaigns (issue 6; seed 001 §5.2: "El Jefe de Servicio al Cliente, será
-- el encargado de realizar la encuesta de Percepción y Satisfacción del Cliente, esta será
-- efectuada semestralmente. Se tomará una muestra estadística de acuerdo a los clientes
-- activos."). Portable like the rest: TEXT ids, BIGINT Unix seconds, BIGINT 0/1 flags, dates
-- as YYYY-MM-DD text.

-- A campaign is created as a draft ('borrador') and launched once ('lanzada'): the launch is
-- a conditional update on `state`, so a double submit sends nothing twice. population and
-- sample_size are the figures shown before launching, replaced by the ones the launch used.
CREATE TABLE survey_campaigns (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- Which of the three questions it asks (at least one).
    ask_nps BIGINT NOT NULL,
    ask_csat BIGINT NOT NULL,
    ask_comment BIGINT NOT NULL,
    -- The period, Bogotá days, both included; answers are taken until closes_at, the instant
    -- the last day ends.
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    closes_at BIGINT NOT NULL,
    -- The sample design: confidence level (90, 95, 99) and margin of error in points.
    confidence_percent BIGINT NOT NULL,
    margin_percent BIGINT NOT NULL,
    -- Proportional allocation per customer tier (VIP / Regular / Flotante).
    stratified BIGINT NOT NULL,
    population BIGINT NOT NULL,
    sample_size BIGINT NOT NULL,
    state TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    launched_by TEXT REFERENCES users (id),
    launched_at BIGINT
);
CREATE INDEX survey_campaigns_created_idx ON survey_campaigns (created_at);

-- One invitation per sampled account. The e-mail link carries a 128-bit random token; only
-- its SHA-256 is kept, so the table cannot be turned back into working links. The tier is the
-- one the account had when it was sampled (its stratum), so results by tier stay as drawn.
CREATE TABLE campaign_invitations (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES survey_campaigns (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    tier TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    recipient TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    answered_at BIGINT,
    CONSTRAINT campaign_invitations_token_unique UNIQUE (token_hash),
    CONSTRAINT campaign_invitations_one_per_account UNIQUE (campaign_id, account_id)
);
CREATE INDEX campaign_invitations_account_idx ON campaign_invitations (account_id, answered_at);

-- The answer, written once in the transaction that marks its invitation answered; only the
-- questions the campaign asked are filled.
CREATE TABLE campaign_answers (
    id TEXT PRIMARY KEY,
    invitation_id TEXT NOT NULL REFERENCES campaign_invitations (id),
    campaign_id TEXT NOT NULL REFERENCES survey_campaigns (id),
    tier TEXT NOT NULL,
    nps BIGINT,
    csat BIGINT,
    comment TEXT NOT NULL DEFAULT '',
    answered_at BIGINT NOT NULL,
    CONSTRAINT campaign_answers_one_per_invitation UNIQUE (invitation_id)
);
CREATE INDEX campaign_answers_campaign_idx ON campaign_answers (campaign_id, answered_at);

-- A detractor answer (NPS 0–6 or CSAT 1–2) opens one recovery case like the transactional
-- survey does (seed 003); it has no request, so the case points at the answer, once.
ALTER TABLE recovery_cases ADD COLUMN campaign_answer_id TEXT REFERENCES campaign_answers (id);
CREATE UNIQUE INDEX recovery_cases_one_per_campaign_answer ON recovery_cases (campaign_answer_id);
