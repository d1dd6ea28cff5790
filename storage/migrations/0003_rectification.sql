-- The rectification loop: owner, deadline and the moments of each step; conversations about a hazard.

ALTER TABLE hazards ADD COLUMN owner_id INTEGER REFERENCES people (id);
-- The last local day to rectify (YYYY-MM-DD); overdue is derived from it, never stored.
ALTER TABLE hazards ADD COLUMN deadline TEXT;
ALTER TABLE hazards ADD COLUMN assigned_at TEXT;
ALTER TABLE hazards ADD COLUMN submitted_at TEXT;
ALTER TABLE hazards ADD COLUMN closed_at TEXT;
ALTER TABLE hazards ADD COLUMN duplicate_of INTEGER REFERENCES hazards (id);

CREATE INDEX hazards_owner ON hazards (owner_id, status, deadline);
CREATE INDEX hazards_status_deadline ON hazards (status, deadline);

-- A multi-step action on a hazard in progress (交办, 不属实, 重复, 整改, 不通过, 重新打开), one per person.
CREATE TABLE hazard_conversations (
    person_id  INTEGER PRIMARY KEY REFERENCES people (id),
    hazard_id  INTEGER NOT NULL REFERENCES hazards (id),
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
