-- Roster changes take power away: a person missing from a re-imported roster, or removed by an admin, is deactivated
-- (kept for the history, able to do nothing); a moved person's old entry is deactivated and points to the new one.
ALTER TABLE people ADD COLUMN deactivated_at TEXT;
ALTER TABLE people ADD COLUMN moved_to INTEGER REFERENCES people (id);
