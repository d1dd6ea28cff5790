-- Indexes for the supervisor queries (/open, /overdue), statistics, the monthly ranking and the ledger export.
-- Each query reads one scope (a village, a town or the city) and either the open queue or one period's cohort,
-- so every one of them is an index range scan, never a scan of the whole table.

-- The open queue of a village or a town in urgency order: status, then deadline (then rowid, i.e. #N).
-- The city's queue uses hazards_status_deadline (status, deadline) from 0003.
CREATE INDEX hazards_village_queue ON hazards (village_id, status, deadline);
CREATE INDEX hazards_town_queue ON hazards (town_id, status, deadline);

-- The cohort of a period (hazards reported in it), citywide or in one town. Both indexes carry every column the
-- statistics count, so a month's figures are read from the index alone.
CREATE INDEX hazards_cohort ON hazards (reported_at, town_id, village_id, status, closure, deadline, submitted_at);
CREATE INDEX hazards_town_cohort ON hazards (town_id, reported_at, village_id, status, closure, deadline, submitted_at);

-- The checks of a period in one town (checks_period from 0004 serves the city).
CREATE INDEX checks_town_period ON checks (town_id, kind, period);
