-- Routine checks (排查): each village at least once a week, each town at least once a month.
-- period: the ISO week ('2026-W48') of a village check, the month ('2026-11') of a town check, in local time.
-- Hazards reported in the period are linked by their reported_at, not stored twice.
CREATE TABLE checks (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('village', 'town')),
    town_id        INTEGER NOT NULL REFERENCES towns (id),
    village_id     INTEGER REFERENCES villages (id),
    period         TEXT NOT NULL,
    person_id      INTEGER NOT NULL REFERENCES people (id),
    places_checked INTEGER NOT NULL CHECK (places_checked >= 0),
    note           TEXT,
    photo_sha256   TEXT,
    photo_file_id  TEXT,
    logged_at      TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK ((kind = 'village') = (village_id IS NOT NULL))
);
-- Logging again in the same period updates the one record.
CREATE UNIQUE INDEX checks_one_per_period ON checks (kind, town_id, COALESCE(village_id, 0), period);
CREATE INDEX checks_period ON checks (period, kind);
