"""Scheduler storage: when the last pass ran, and the bounded queries that find what may be due."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from bot.domain.hazards import Hazard
from storage.database import Database
from storage.hazards import HAZARD_SELECT, hazard_from_row
from storage.timestamps import from_db, to_db

_LAST_PASS = "last_pass_at"


@dataclass(frozen=True)
class Place:
    """A village or town, with the people who are reminded about it."""

    id: int
    name: str
    town_id: int
    people: tuple[int, ...]


class ScheduleRepository:
    """SQL for scheduler_state and the pass's candidate queries."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def last_pass(self) -> datetime | None:
        """When the last pass ran."""
        row = await self._db.fetch_one("SELECT value FROM scheduler_state WHERE name = ?", (_LAST_PASS,))
        return from_db(row[0]) if row else None

    async def set_last_pass(self, tx: aiosqlite.Connection, at: datetime) -> None:
        """Record a pass (in the transaction that queued its reminders)."""
        await tx.execute(
            "INSERT INTO scheduler_state (name, value) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (_LAST_PASS, to_db(at)),
        )

    async def withdraw_queued_after(
        self, tx: aiosqlite.Connection, now: datetime, pass_prefixes: tuple[str, ...]
    ) -> tuple[int, int]:
        """Undo what was queued, still unsent, at moments after now: (pass reminders deleted, others released).

        A pass's reminders are deleted so that their dedupe keys are free when they truly fall due; anything else
        (a hazard's card, an alert) is kept and sent now instead of at the clock's wrong moment.
        """
        stamp = to_db(now)
        like = " OR ".join("dedupe_key LIKE ?" for _ in pass_prefixes)
        patterns = [f"{prefix}%" for prefix in pass_prefixes]
        cursor = await tx.execute(
            f"DELETE FROM outbox WHERE status = 'pending' AND created_at > ? AND ({like})", (stamp, *patterns)
        )
        withdrawn = cursor.rowcount
        cursor = await tx.execute(
            "UPDATE outbox SET not_before = ? WHERE status = 'pending' AND created_at > ? AND not_before > ?",
            (stamp, stamp, stamp),
        )
        return withdrawn, cursor.rowcount

    async def villages_without_check(self, week: str) -> list[Place]:
        """Villages with no village check logged for the week, with their officers."""
        rows = await self._db.fetch_all(
            "SELECT v.id, t.name || v.name, v.town_id, group_concat(p.id) FROM villages v"
            " JOIN towns t ON t.id = v.town_id"
            " LEFT JOIN people p ON p.village_id = v.id AND p.role = 'officer'"
            " WHERE NOT EXISTS (SELECT 1 FROM checks c WHERE c.kind = 'village' AND c.village_id = v.id"
            " AND c.period = ?) GROUP BY v.id ORDER BY v.town_id, v.name",
            (week,),
        )
        return [_place(row) for row in rows]

    async def towns_without_check(self, month: str) -> list[Place]:
        """Towns with no town check logged for the month, with their supervisors."""
        rows = await self._db.fetch_all(
            "SELECT t.id, t.name, t.id, group_concat(p.id) FROM towns t"
            " LEFT JOIN people p ON p.town_id = t.id AND p.role = 'supervisor'"
            " WHERE NOT EXISTS (SELECT 1 FROM checks c WHERE c.kind = 'town' AND c.town_id = t.id AND c.period = ?)"
            " GROUP BY t.id ORDER BY t.id",
            (month,),
        )
        return [_place(row) for row in rows]

    async def assigned_with_deadline_in(self, deadlines: set[date]) -> list[Hazard]:
        """Assigned hazards whose deadline is one of these days (the index on status and deadline keeps it small)."""
        rows = await self._db.fetch_all(
            f"{HAZARD_SELECT} WHERE h.status = 'assigned' AND h.deadline IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(d.isoformat() for d in deadlines)),),
        )
        return [hazard_from_row(row) for row in rows]

    async def waiting_since(self, status: str, column: str, start: datetime, end: datetime) -> list[Hazard]:
        """Hazards in `status` whose `column` moment lies in (start, end]: triage and review lag."""
        if column not in ("reported_at", "submitted_at"):
            raise ValueError(column)
        rows = await self._db.fetch_all(
            f"{HAZARD_SELECT} WHERE h.status = ? AND h.{column} > ? AND h.{column} <= ?",
            (status, to_db(start), to_db(end)),
        )
        return [hazard_from_row(row) for row in rows]


def _place(row: aiosqlite.Row) -> Place:
    people = tuple(int(p) for p in str(row[3]).split(",")) if row[3] else ()
    return Place(id=int(row[0]), name=str(row[1]), town_id=int(row[2]), people=people)
