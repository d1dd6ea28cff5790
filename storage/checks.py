"""Check storage: one record per village and week, or per town and month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import Database
from storage.timestamps import from_db, to_db


@dataclass(frozen=True)
class CheckRecord:
    """A logged check."""

    places_checked: int
    note: str | None
    has_photo: bool
    person_name: str
    logged_at: datetime
    updated_at: datetime


class CheckRepository:
    """SQL for the checks table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert(
        self,
        tx: aiosqlite.Connection,
        *,
        kind: str,
        town_id: int,
        village_id: int | None,
        period: str,
        person_id: int,
        places_checked: int,
        note: str | None,
        photo: tuple[str, str] | None,
        now: datetime,
    ) -> None:
        """Log the period's check, or update it when it was logged before (a photo given earlier is kept)."""
        sha256, file_id = photo if photo else (None, None)
        await tx.execute(
            "INSERT INTO checks (kind, town_id, village_id, period, person_id, places_checked, note, photo_sha256,"
            " photo_file_id, logged_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (kind, town_id, COALESCE(village_id, 0), period) DO UPDATE SET"
            " person_id = excluded.person_id, places_checked = excluded.places_checked,"
            " note = COALESCE(excluded.note, note), photo_sha256 = COALESCE(excluded.photo_sha256, photo_sha256),"
            " photo_file_id = COALESCE(excluded.photo_file_id, photo_file_id), updated_at = excluded.updated_at",
            (
                kind,
                town_id,
                village_id,
                period,
                person_id,
                places_checked,
                note,
                sha256,
                file_id,
                to_db(now),
                to_db(now),
            ),
        )

    async def get(self, kind: str, town_id: int, village_id: int | None, period: str) -> CheckRecord | None:
        """The period's check, if logged."""
        row = await self._db.fetch_one(
            "SELECT c.places_checked, c.note, c.photo_sha256 IS NOT NULL, p.name, c.logged_at, c.updated_at"
            " FROM checks c JOIN people p ON p.id = c.person_id"
            " WHERE c.kind = ? AND c.town_id = ? AND COALESCE(c.village_id, 0) = COALESCE(?, 0) AND c.period = ?",
            (kind, town_id, village_id, period),
        )
        if row is None:
            return None
        return CheckRecord(
            places_checked=row[0],
            note=row[1],
            has_photo=bool(row[2]),
            person_name=row[3],
            logged_at=from_db(row[4]),
            updated_at=from_db(row[5]),
        )

    async def hazards_reported(self, town_id: int, village_id: int | None, start: datetime, end: datetime) -> int:
        """Hazards reported in the village (or town) in [start, end): linked to the check without being stored."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM hazards WHERE town_id = ? AND (? IS NULL OR village_id = ?)"
            " AND reported_at >= ? AND reported_at < ?",
            (town_id, village_id, village_id, to_db(start), to_db(end)),
        )
        return int(row[0]) if row else 0
