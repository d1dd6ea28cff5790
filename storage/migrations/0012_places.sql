-- Places (底数清单, 一企一档): every place a village answers for, its owner, risk grade and status; the changes made to
-- each; the visits logged at each. A hazard may name the place it was found at.

-- type: a configured type word (the 九小场所 and others, [places] types); kept as the word, so renaming the list
-- leaves old places readable. grade: the four-colour risk grade; status: 在营 / 停业整顿 / 关闭.
-- confirmed = 0: added by an officer and waiting for the supervisor (待核实); a file import confirms.
-- uses: how often the place was picked (reports, visits), so a village's buttons offer the most used first.
CREATE TABLE places (
    id         INTEGER PRIMARY KEY,
    town_id    INTEGER NOT NULL REFERENCES towns (id),
    village_id INTEGER NOT NULL REFERENCES villages (id),
    name       TEXT NOT NULL,
    type       TEXT NOT NULL,
    industry   TEXT,
    high_risk  INTEGER NOT NULL DEFAULT 0 CHECK (high_risk IN (0, 1)),
    address    TEXT,
    latitude   REAL,
    longitude  REAL,
    owner_id   INTEGER REFERENCES people (id),
    grade      TEXT NOT NULL CHECK (grade IN ('red', 'orange', 'yellow', 'blue')),
    status     TEXT NOT NULL CHECK (status IN ('open', 'suspended', 'closed')),
    confirmed  INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1)),
    uses       INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- A place is its name in its village (re-imports update it); the same index finds a typed name, or its prefix.
CREATE UNIQUE INDEX places_village_name ON places (village_id, name);
-- A village's buttons: its places, most used first.
CREATE INDEX places_village_use ON places (village_id, uses DESC, name);
-- Coverage of a town (and, town by town, the city): the places and their grades, read from the index alone.
CREATE INDEX places_town_grade ON places (town_id, status, grade, village_id);
-- An owner's places (责任清单, and the places offered at 交办).
CREATE INDEX places_owner ON places (owner_id);

-- Every change of a place, never deleted. actor_id NULL: a file import (gridsafe places import).
-- field: what changed ('created', 'grade', 'owner', 'status', 'confirmed'); from/to: its values (owner: person ids).
CREATE TABLE place_events (
    id         INTEGER PRIMARY KEY,
    place_id   INTEGER NOT NULL REFERENCES places (id),
    actor_id   INTEGER REFERENCES people (id),
    at         TEXT NOT NULL,
    field      TEXT NOT NULL CHECK (field IN ('created', 'grade', 'owner', 'status', 'confirmed')),
    from_value TEXT,
    to_value   TEXT
);
CREATE INDEX place_events_place ON place_events (place_id, id);

-- A visit (排查) at a place. town_id and village_id are the place's, copied so that a town's visits of a period are
-- one range of an index that carries the place too (coverage never reads the visits table itself).
CREATE TABLE place_visits (
    id         INTEGER PRIMARY KEY,
    place_id   INTEGER NOT NULL REFERENCES places (id),
    town_id    INTEGER NOT NULL REFERENCES towns (id),
    village_id INTEGER NOT NULL REFERENCES villages (id),
    person_id  INTEGER NOT NULL REFERENCES people (id),
    check_id   INTEGER REFERENCES checks (id),
    visited_at TEXT NOT NULL
);
CREATE INDEX place_visits_place ON place_visits (place_id, visited_at);
CREATE INDEX place_visits_town ON place_visits (town_id, visited_at, place_id);

-- The place a hazard was found at (NULL: typed as free text, as before places existed).
ALTER TABLE hazards ADD COLUMN place_id INTEGER REFERENCES places (id);
CREATE INDEX hazards_place ON hazards (place_id, status);
