"""Hazard storage: the hazard, its photos and its timeline, and the queries reporting needs."""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite

from bot.domain.hazards import Closure, Hazard, Severity, Stage, Status, TimelineEvent
from bot.domain.photos import Photo
from storage.database import Database
from storage.timestamps import from_db, to_db

HAZARD_SELECT = """
    SELECT h.id, h.town_id, t.name AS town_name, h.village_id, v.name AS village_name,
           h.reporter_id, p.name AS reporter_name, h.description, h.category, h.severity, h.place,
           h.latitude, h.longitude, h.status, h.closure, h.fixed_on_spot, h.reported_at,
           h.owner_id, o.name AS owner_name,
           (ob.id IS NOT NULL OR o.wecom_userid IS NOT NULL) AS owner_bound, h.deadline,
           h.assigned_at, h.submitted_at, h.closed_at, h.duplicate_of,
           se.actor_id AS submitted_by, se.telegram_user_id AS submitted_from
    FROM hazards h
    JOIN towns t ON t.id = h.town_id
    JOIN villages v ON v.id = h.village_id
    JOIN people p ON p.id = h.reporter_id
    LEFT JOIN people o ON o.id = h.owner_id
    LEFT JOIN telegram_bindings ob ON ob.person_id = h.owner_id AND ob.ended_at IS NULL
    LEFT JOIN hazard_events se ON se.id = (
        SELECT MAX(id) FROM hazard_events
        WHERE hazard_id = h.id AND kind IN ('submit', 'submitted_by_proxy', 'fixed_on_spot')
    )
"""


def _moment(text: str | None) -> datetime | None:
    return from_db(text) if text else None


def hazard_from_row(row: aiosqlite.Row) -> Hazard:
    """A hazard from a row of HAZARD_SELECT."""
    return Hazard(
        id=row["id"],
        town_id=row["town_id"],
        town_name=row["town_name"],
        village_id=row["village_id"],
        village_name=row["village_name"],
        reporter_id=row["reporter_id"],
        reporter_name=row["reporter_name"],
        description=row["description"],
        category=row["category"],
        severity=Severity(row["severity"]),
        place=row["place"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        status=Status(row["status"]),
        closure=Closure(row["closure"]) if row["closure"] else None,
        fixed_on_spot=bool(row["fixed_on_spot"]),
        reported_at=from_db(row["reported_at"]),
        owner_id=row["owner_id"],
        owner_name=row["owner_name"],
        owner_bound=bool(row["owner_bound"]),
        deadline=date.fromisoformat(row["deadline"]) if row["deadline"] else None,
        assigned_at=_moment(row["assigned_at"]),
        submitted_at=_moment(row["submitted_at"]),
        closed_at=_moment(row["closed_at"]),
        duplicate_of=row["duplicate_of"],
        submitted_by=row["submitted_by"],
        submitted_from=row["submitted_from"],
    )


class HazardRepository:
    """SQL for hazards, hazard_photos and hazard_events."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def insert(
        self,
        tx: aiosqlite.Connection,
        *,
        town_id: int,
        village_id: int,
        reporter_id: int,
        description: str,
        category: str,
        severity: Severity,
        place: str,
        latitude: float | None,
        longitude: float | None,
        status: Status,
        fixed_on_spot: bool,
        draft_token: str,
        now: datetime,
        place_id: int | None = None,
    ) -> int:
        """Store a new hazard (submitted from the report with this token) and return its public number; `place_id`:
        the place of the inventory it was found at (its name is `place`)."""
        cursor = await tx.execute(
            "INSERT INTO hazards (town_id, village_id, reporter_id, description, category, severity, place,"
            " latitude, longitude, status, fixed_on_spot, draft_token, reported_at, updated_at, place_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                town_id,
                village_id,
                reporter_id,
                description,
                category,
                severity.value,
                place,
                latitude,
                longitude,
                status.value,
                int(fixed_on_spot),
                draft_token,
                to_db(now),
                to_db(now),
                place_id,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def add_photos(
        self, tx: aiosqlite.Connection, hazard_id: int, stage: Stage, photos: list[Photo], now: datetime
    ) -> None:
        """Attach photos to a hazard, after any it already has at that stage."""
        async with tx.execute(
            "SELECT COALESCE(MAX(position), 0) FROM hazard_photos WHERE hazard_id = ? AND stage = ?",
            (hazard_id, stage.value),
        ) as cursor:
            row = await cursor.fetchone()
        start = int(row[0]) if row else 0
        await tx.executemany(
            "INSERT INTO hazard_photos (hazard_id, stage, position, sha256, extension, file_id, file_unique_id,"
            " width, height, size, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    hazard_id,
                    stage.value,
                    start + index,
                    p.sha256,
                    p.extension,
                    p.file_id,
                    p.file_unique_id,
                    p.width,
                    p.height,
                    p.size,
                    to_db(now),
                )
                for index, p in enumerate(photos, start=1)
            ],
        )
        # A photo that arrived as a photo (it has dimensions) can be re-sent by its file_id; one sent as a file
        # cannot, and gets a photo file_id when it is first sent (storage/photo_ids.py).
        await tx.executemany(
            "INSERT OR IGNORE INTO telegram_photo_ids (sha256, file_id) VALUES (?, ?)",
            [(p.sha256, p.file_id) for p in photos if p.width > 0],
        )

    async def add_event(
        self,
        tx: aiosqlite.Connection,
        *,
        hazard_id: int,
        actor_id: int,
        kind: str,
        from_status: Status | None,
        to_status: Status,
        note: str | None,
        now: datetime,
        account: int | None = None,
        from_owner_id: int | None = None,
        to_owner_id: int | None = None,
    ) -> int:
        """Append to the hazard's timeline (with the Telegram account that acted); return the event's id."""
        cursor = await tx.execute(
            "INSERT INTO hazard_events (hazard_id, actor_id, at, kind, from_status, to_status, note,"
            " telegram_user_id, from_owner_id, to_owner_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                hazard_id,
                actor_id,
                to_db(now),
                kind,
                from_status.value if from_status else None,
                to_status.value,
                note,
                account,
                from_owner_id,
                to_owner_id,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def move(
        self,
        tx: aiosqlite.Connection,
        hazard_id: int,
        *,
        expected: Status,
        to: Status,
        closure: Closure | None,
        owner_id: int | None,
        deadline: date | None,
        duplicate_of: int | None,
        now: datetime,
    ) -> bool:
        """Change status only if it is still `expected`: of two simultaneous moves exactly one wins."""
        stamp = to_db(now)
        cursor = await tx.execute(
            "UPDATE hazards SET status = ?, closure = ?, owner_id = ?, deadline = ?, duplicate_of = ?, updated_at = ?,"
            " assigned_at = CASE WHEN ? = 'assigned' THEN ? ELSE assigned_at END,"
            " submitted_at = CASE WHEN ? = 'submitted' THEN ? ELSE submitted_at END,"
            " closed_at = CASE WHEN ? = 'closed' THEN ? ELSE NULL END"
            " WHERE id = ? AND status = ?",
            (
                to.value,
                closure.value if closure else None,
                owner_id,
                deadline.isoformat() if deadline else None,
                duplicate_of,
                stamp,
                to.value,
                stamp,
                to.value,
                stamp,
                to.value,
                stamp,
                hazard_id,
                expected.value,
            ),
        )
        return cursor.rowcount == 1

    async def reassign(
        self,
        tx: aiosqlite.Connection,
        hazard_id: int,
        *,
        expected_owner: int,
        owner_id: int,
        deadline: date,
        now: datetime,
    ) -> bool:
        """改派: another owner (and deadline) only if the hazard is still 整改中 with the expected owner."""
        cursor = await tx.execute(
            "UPDATE hazards SET owner_id = ?, deadline = ?, updated_at = ?"
            " WHERE id = ? AND status = 'assigned' AND owner_id = ?",
            (owner_id, deadline.isoformat(), to_db(now), hazard_id, expected_owner),
        )
        return cursor.rowcount == 1

    async def timeline(self, hazard_id: int) -> list[TimelineEvent]:
        """Every event of the hazard, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT e.at, p.name, e.kind, e.to_status, e.note, f.name, t.name FROM hazard_events e"
            " JOIN people p ON p.id = e.actor_id"
            " LEFT JOIN people f ON f.id = e.from_owner_id LEFT JOIN people t ON t.id = e.to_owner_id"
            " WHERE e.hazard_id = ? ORDER BY e.id",
            (hazard_id,),
        )
        return [
            TimelineEvent(
                at=from_db(r[0]),
                actor=r[1],
                kind=r[2],
                to_status=Status(r[3]),
                note=r[4],
                from_owner=r[5],
                to_owner=r[6],
            )
            for r in rows
        ]

    async def return_reasons(self, hazard_ids: list[int]) -> dict[int, tuple[str, str]]:
        """Why each hazard is with its owner now: the kind and note of its latest move to 整改中, if it had a note."""
        if not hazard_ids:
            return {}
        marks = ", ".join("?" for _ in hazard_ids)
        rows = await self._db.fetch_all(
            "SELECT hazard_id, kind, note FROM hazard_events WHERE note IS NOT NULL AND id IN"
            f" (SELECT MAX(id) FROM hazard_events WHERE hazard_id IN ({marks}) AND to_status = 'assigned'"
            " GROUP BY hazard_id)",
            tuple(hazard_ids),
        )
        return {int(r[0]): (str(r[1]), str(r[2])) for r in rows}

    async def was_reassigned_from(self, hazard_id: int, person_id: int) -> bool:
        """Whether the hazard was once reassigned (改派) away from this owner."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM hazard_events WHERE hazard_id = ? AND from_owner_id = ? LIMIT 1", (hazard_id, person_id)
        )
        return row is not None

    async def owned_by(self, person_id: int, limit: int) -> list[Hazard]:
        """Open hazards assigned to an owner, nearest deadline first."""
        rows = await self._db.fetch_all(
            f"{HAZARD_SELECT} WHERE h.owner_id = ? AND h.status IN ('assigned', 'submitted')"
            " ORDER BY h.deadline, h.id LIMIT ?",
            (person_id, limit),
        )
        return [hazard_from_row(row) for row in rows]

    async def open_reported_by(self, person_id: int, limit: int) -> list[Hazard]:
        """A reporter's hazards not closed yet, newest first."""
        rows = await self._db.fetch_all(
            f"{HAZARD_SELECT} WHERE h.reporter_id = ? AND h.status != 'closed' ORDER BY h.id DESC LIMIT ?",
            (person_id, limit),
        )
        return [hazard_from_row(row) for row in rows]

    async def waiting_in_town(self, town_id: int, status: Status, limit: int) -> tuple[int, list[Hazard]]:
        """How many hazards of a town are in this state, and the oldest of them (they have waited longest)."""
        count = await self._db.fetch_one(
            "SELECT COUNT(*) FROM hazards WHERE town_id = ? AND status = ?", (town_id, status.value)
        )
        rows = await self._db.fetch_all(
            f"{HAZARD_SELECT} WHERE h.town_id = ? AND h.status = ? ORDER BY h.id LIMIT ?",
            (town_id, status.value, limit),
        )
        return (count[0] if count else 0), [hazard_from_row(row) for row in rows]

    async def get_in(self, tx: aiosqlite.Connection, hazard_id: int) -> Hazard:
        """One hazard, read inside the caller's transaction (e.g. right after inserting it)."""
        async with tx.execute(f"{HAZARD_SELECT} WHERE h.id = ?", (hazard_id,)) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return hazard_from_row(row)

    async def get(self, hazard_id: int) -> Hazard | None:
        """One hazard."""
        row = await self._db.fetch_one(f"{HAZARD_SELECT} WHERE h.id = ?", (hazard_id,))
        return hazard_from_row(row) if row else None

    async def photos(self, hazard_id: int, stage: Stage) -> list[Photo]:
        """A hazard's photos at one stage, in the order given."""
        rows = await self._db.fetch_all(
            "SELECT sha256, extension, file_id, file_unique_id, width, height, size FROM hazard_photos"
            " WHERE hazard_id = ? AND stage = ? ORDER BY position",
            (hazard_id, stage.value),
        )
        return [Photo(**dict(row)) for row in rows]

    async def open_lookalikes(self, village_id: int, category: str, place: str) -> list[int]:
        """Numbers of open hazards in the village with the same category at the same place (possible duplicates)."""
        rows = await self._db.fetch_all(
            "SELECT id FROM hazards WHERE village_id = ? AND status != 'closed' AND category = ?"
            " AND lower(trim(place)) = lower(trim(?)) ORDER BY id",
            (village_id, category, place),
        )
        return [int(row[0]) for row in rows]

    async def places_used(self, village_id: int, limit: int) -> list[str]:
        """Places already named in this village's reports, most recently used first."""
        rows = await self._db.fetch_all(
            "SELECT place FROM hazards WHERE village_id = ? GROUP BY place ORDER BY MAX(id) DESC LIMIT ?",
            (village_id, limit),
        )
        return [str(row[0]) for row in rows]

    async def submitted_from(self, person_id: int, draft_token: str) -> Hazard | None:
        """The hazard this person submitted from the report with this token, if any."""
        row = await self._db.fetch_one(
            f"{HAZARD_SELECT} WHERE h.reporter_id = ? AND h.draft_token = ?", (person_id, draft_token)
        )
        return hazard_from_row(row) if row is not None else None

    async def reported_by(self, person_id: int, limit: int) -> list[Hazard]:
        """A person's own reports, newest first."""
        rows = await self._db.fetch_all(
            f"{HAZARD_SELECT} WHERE h.reporter_id = ? ORDER BY h.id DESC LIMIT ?", (person_id, limit)
        )
        return [hazard_from_row(row) for row in rows]
