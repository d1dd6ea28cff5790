-- Indexes for the supervisor queries (/open, /overdue), statistics, the monthly ranking and the ledger export.
-- Each query reads one scope (a village, a town or the city) and either the open queue or one period's cohort,
-- so every one of them is an index range scan, never a scan of the whole table.

-- The open queue of a village or a town in urgency order: status, then deadline (then rowid, i.e. #N).
CREATE INDEX hazards_village_queue ON hazards (village_id, status, deadline);
CREATE INDEX hazards_town_queue ON hazards (town_id, status, deadline);
-- The city's queue, with the filter columns and what the overdue count needs, so both are read from the index.
CREATE INDEX hazards_city_queue ON hazards (status, deadline, reported_at, category, severity, town_id, village_id);

-- The cohort of a period (hazards reported in it), citywide or in one town. Both indexes carry every column the
-- statistics count, so a month's figures are read from the index alone.
CREATE INDEX hazards_cohort ON hazards (reported_at, town_id, village_id, status, closure, deadline, submitted_at);
CREATE INDEX hazards_town_cohort ON hazards (town_id, reported_at, village_id, status, closure, deadline, submitted_at);

-- The checks of a period in one town, and citywide by town (checks_period from 0004 serves the city's ledger).
CREATE INDEX checks_town_period ON checks (town_id, kind, period);
CREATE INDEX checks_city_period ON checks (kind, period, town_id);
