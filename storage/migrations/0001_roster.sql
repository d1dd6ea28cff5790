-- The roster: towns, villages, people, their Telegram bindings and one-time invites.

CREATE TABLE towns (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE villages (
    id      INTEGER PRIMARY KEY,
    town_id INTEGER NOT NULL REFERENCES towns (id),
    name    TEXT NOT NULL,
    UNIQUE (town_id, name)
);

-- A person's scope follows the role: admin none, supervisor a town, officer and owner a village.
CREATE TABLE people (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('officer', 'owner', 'supervisor', 'admin')),
    town_id    INTEGER REFERENCES towns (id),
    village_id INTEGER REFERENCES villages (id),
    phone      TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((role = 'admin' AND town_id IS NULL AND village_id IS NULL)
        OR (role = 'supervisor' AND town_id IS NOT NULL AND village_id IS NULL)
        OR (role IN ('officer', 'owner') AND town_id IS NOT NULL AND village_id IS NOT NULL))
);

-- Identity used by roster re-imports: the same name in the same role and scope is the same person.
CREATE UNIQUE INDEX people_identity ON people (role, COALESCE(town_id, 0), COALESCE(village_id, 0), name);
CREATE INDEX people_village ON people (village_id, role);
CREATE INDEX people_town ON people (town_id, role);

-- Every binding a person ever had; the open one (ended_at IS NULL) is current. Rebinding ends the old row.
CREATE TABLE telegram_bindings (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    telegram_user_id INTEGER NOT NULL,
    chat_id          INTEGER NOT NULL,
    invite_id        INTEGER NOT NULL REFERENCES invites (id),
    bound_at         TEXT NOT NULL,
    ended_at         TEXT,
    end_reason       TEXT
);
CREATE UNIQUE INDEX bindings_current_person ON telegram_bindings (person_id) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX bindings_current_user ON telegram_bindings (telegram_user_id) WHERE ended_at IS NULL;

-- Only a hash of the code is stored: the code itself is a bearer secret.
CREATE TABLE invites (
    id            INTEGER PRIMARY KEY,
    code_sha256   TEXT NOT NULL UNIQUE,
    person_id     INTEGER NOT NULL REFERENCES people (id),
    created_by    INTEGER REFERENCES people (id),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    used_by_telegram_user_id INTEGER
);

-- Group chats already told that GridSafe works only in private chat (so they are told once).
CREATE TABLE group_notices (
    chat_id     INTEGER PRIMARY KEY,
    notified_at TEXT NOT NULL
);
