-- A hazard remembers the token of the report it was submitted from, so a second press of that report's 提交 (a double
-- tap, or a press whose answer a crash cut off) answers with the hazard's number instead of "button expired".

ALTER TABLE hazards ADD COLUMN draft_token TEXT;
CREATE INDEX hazards_submission ON hazards (reporter_id, draft_token) WHERE draft_token IS NOT NULL;
