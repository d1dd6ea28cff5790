-- 改派 (reassign): an event names the owner before and after, so the timeline shows who was replaced by whom and a
-- former owner's stale button can be answered plainly.

ALTER TABLE hazard_events ADD COLUMN from_owner_id INTEGER REFERENCES people (id);
ALTER TABLE hazard_events ADD COLUMN to_owner_id INTEGER REFERENCES people (id);
CREATE INDEX hazard_events_from_owner ON hazard_events (from_owner_id) WHERE from_owner_id IS NOT NULL;
