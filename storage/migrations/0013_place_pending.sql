-- A place an officer added while reporting waits as 待核实 (confirmed = 0) until a supervisor of its town decides:
-- 确认 makes it an ordinary place of the 底数清单 (confirmed = 1, an event 'confirmed'); 驳回 marks it rejected and
-- closes it (an event 'status' open → closed), so it is offered and counted no more. Its hazards keep it as their
-- place. A file import that names the place again confirms it (rejected = 0).
ALTER TABLE places ADD COLUMN rejected INTEGER NOT NULL DEFAULT 0 CHECK (rejected IN (0, 1));
