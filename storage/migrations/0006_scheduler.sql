-- The scheduler: outbox rows name their subject (so a reminder for something done in the meantime is cancelled),
-- the moment of the last pass (so a pass after downtime catches up once), and indexes for the lag reminders.

CREATE TABLE outbox_new (
    id           INTEGER PRIMARY KEY,
    dedupe_key   TEXT NOT NULL UNIQUE,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    payload      TEXT NOT NULL,
    urgent       INTEGER NOT NULL DEFAULT 0,
    subject      TEXT,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    not_before   TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    sent_at      TEXT
);
INSERT INTO outbox_new (id, dedupe_key, person_id, payload, urgent, status, not_before, attempts, last_error,
                        created_at, sent_at)
    SELECT id, dedupe_key, person_id, payload, urgent, status, not_before, attempts, last_error, created_at, sent_at
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, not_before);
CREATE INDEX outbox_subject ON outbox (subject, status) WHERE subject IS NOT NULL;

CREATE TABLE scheduler_state (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE INDEX hazards_status_reported ON hazards (status, reported_at);
CREATE INDEX hazards_status_submitted ON hazards (status, submitted_at);
