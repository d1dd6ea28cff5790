-- The place's file (一企一档): a change asked by an officer waits for a supervisor of the town (a grade change);
-- a visit may keep the photo it was logged with (a photo captioned with the place's name).

-- A change waiting for confirmation. decided_at NULL: still waiting; approved: 1 同意, 0 不同意.
-- At most one change of a place waits at a time.
CREATE TABLE place_requests (
    id           INTEGER PRIMARY KEY,
    place_id     INTEGER NOT NULL REFERENCES places (id),
    requested_by INTEGER NOT NULL REFERENCES people (id),
    requested_at TEXT NOT NULL,
    field        TEXT NOT NULL CHECK (field IN ('grade')),
    from_value   TEXT NOT NULL,
    to_value     TEXT NOT NULL,
    decided_by   INTEGER REFERENCES people (id),
    decided_at   TEXT,
    approved     INTEGER CHECK (approved IN (0, 1))
);
CREATE UNIQUE INDEX place_requests_waiting ON place_requests (place_id) WHERE decided_at IS NULL;

ALTER TABLE place_visits ADD COLUMN photo_sha256 TEXT;

-- /place 名称: a typed name (or its beginning) is one range of this index, in any scope.
CREATE INDEX places_name ON places (name);
