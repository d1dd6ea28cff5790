-- Hazards, their photos and timeline; reports in progress; the durable outbox.

-- AUTOINCREMENT: a public number #N is never reused.
CREATE TABLE hazards (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    town_id       INTEGER NOT NULL REFERENCES towns (id),
    village_id    INTEGER NOT NULL REFERENCES villages (id),
    reporter_id   INTEGER NOT NULL REFERENCES people (id),
    description   TEXT NOT NULL,
    category      TEXT NOT NULL,
    severity      TEXT NOT NULL CHECK (severity IN ('general', 'major')),
    place         TEXT NOT NULL,
    latitude      REAL,
    longitude     REAL,
    status        TEXT NOT NULL CHECK (status IN ('reported', 'assigned', 'submitted', 'closed')),
    closure       TEXT CHECK (closure IN ('verified', 'invalid', 'duplicate')),
    fixed_on_spot INTEGER NOT NULL DEFAULT 0,
    reported_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK ((status = 'closed') = (closure IS NOT NULL))
);
CREATE INDEX hazards_village_open ON hazards (village_id, status, category);
CREATE INDEX hazards_town_status ON hazards (town_id, status);
CREATE INDEX hazards_reporter ON hazards (reporter_id, id);

CREATE TABLE hazard_photos (
    id             INTEGER PRIMARY KEY,
    hazard_id      INTEGER NOT NULL REFERENCES hazards (id),
    stage          TEXT NOT NULL CHECK (stage IN ('before', 'after')),
    position       INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    extension      TEXT NOT NULL,
    file_id        TEXT NOT NULL,
    file_unique_id TEXT NOT NULL,
    width          INTEGER NOT NULL,
    height         INTEGER NOT NULL,
    size           INTEGER NOT NULL,
    added_at       TEXT NOT NULL
);
CREATE INDEX hazard_photos_hazard ON hazard_photos (hazard_id, stage, position);
CREATE INDEX hazard_photos_sha ON hazard_photos (sha256);

-- The timeline: every change of a hazard, never deleted.
CREATE TABLE hazard_events (
    id          INTEGER PRIMARY KEY,
    hazard_id   INTEGER NOT NULL REFERENCES hazards (id),
    actor_id    INTEGER NOT NULL REFERENCES people (id),
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    note        TEXT
);
CREATE INDEX hazard_events_hazard ON hazard_events (hazard_id, id);

-- A report in progress, one per person: the answers so far as JSON (photos included), so a restart loses nothing.
CREATE TABLE report_drafts (
    person_id  INTEGER PRIMARY KEY REFERENCES people (id),
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Every outbound notification, written in the same transaction as the change it reports.
-- status: pending → sending (claimed) → sent | failed. A 'sending' row found at start-up was interrupted
-- and goes back to pending (at-least-once delivery).
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    dedupe_key   TEXT NOT NULL UNIQUE,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    payload      TEXT NOT NULL,
    urgent       INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    not_before   TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    sent_at      TEXT
);
CREATE INDEX outbox_due ON outbox (status, not_before);
