"""Statistics storage: the counts behind /stats, /rank and the ledger, grouped by town or village in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from storage.database import Database
from storage.timestamps import to_db


class Grouping(StrEnum):
    """Count per town (the city's figures) or per village (one town's figures)."""

    TOWN = "town_id"
    VILLAGE = "village_id"


@dataclass(frozen=True)
class CohortCounts:
    """What became of the hazards reported in a period, for one area."""

    reported: int
    verified: int
    invalid: int
    duplicate: int
    on_time: int


# The one definition of "on time", shared by the statistics and the ledger: a verified hazard that never had a
# deadline (即查即改), or whose last rectification was submitted on or before the deadline's local day. Its one
# parameter is the zone's UTC offset as an SQLite date modifier, e.g. '+480 minutes'.
ON_TIME = "(deadline IS NULL OR COALESCE(date(submitted_at, ?) <= deadline, 0))"


def _scope(town_id: int | None) -> tuple[str, list[object]]:
    return ("", []) if town_id is None else (" AND town_id = ?", [town_id])


class StatisticsRepository:
    """Aggregating SQL over hazards, checks and the roster; every query is an index range scan."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def areas(self, grouping: Grouping, town_id: int | None) -> list[tuple[int, str]]:
        """(id, name) of every town, or of the town's villages, by name."""
        if grouping is Grouping.TOWN:
            rows = await self._db.fetch_all("SELECT id, name FROM towns ORDER BY name")
        else:
            rows = await self._db.fetch_all("SELECT id, name FROM villages WHERE town_id = ? ORDER BY name", (town_id,))
        return [(int(r[0]), str(r[1])) for r in rows]

    async def town_name(self, town_id: int) -> str | None:
        """A town's name."""
        row = await self._db.fetch_one("SELECT name FROM towns WHERE id = ?", (town_id,))
        return str(row[0]) if row else None

    async def villages_per_town(self, town_id: int | None) -> dict[int, int]:
        """How many villages each town has."""
        extra, params = _scope(town_id)
        rows = await self._db.fetch_all(
            f"SELECT town_id, COUNT(*) FROM villages WHERE 1 = 1{extra} GROUP BY town_id", params
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def cohort(
        self, grouping: Grouping, town_id: int | None, start: datetime, end: datetime, utc_offset_minutes: int
    ) -> dict[int, CohortCounts]:
        """Hazards reported in [start, end), by area: how many, and how many closed each way and on time."""
        extra, params = _scope(town_id)
        rows = await self._db.fetch_all(
            f"SELECT {grouping.value}, COUNT(*),"
            " COALESCE(SUM(closure = 'verified'), 0),"
            " COALESCE(SUM(closure = 'invalid'), 0),"
            " COALESCE(SUM(closure = 'duplicate'), 0),"
            f" COALESCE(SUM(closure = 'verified' AND {ON_TIME}), 0)"
            f" FROM hazards WHERE reported_at >= ? AND reported_at < ?{extra} GROUP BY {grouping.value}",
            [f"{utc_offset_minutes:+d} minutes", to_db(start), to_db(end), *params],
        )
        return {int(r[0]): CohortCounts(int(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5])) for r in rows}

    async def overdue(self, grouping: Grouping, town_id: int | None, today: date, end: datetime) -> dict[int, int]:
        """Hazards reported before `end` that are overdue today (assigned, deadline before today), by area."""
        extra, params = _scope(town_id)
        rows = await self._db.fetch_all(
            f"SELECT {grouping.value}, COUNT(*) FROM hazards"
            f" WHERE status = 'assigned' AND deadline < ? AND reported_at < ?{extra} GROUP BY {grouping.value}",
            [today.isoformat(), to_db(end), *params],
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def checks_done(
        self, kind: str, grouping: Grouping, town_id: int | None, periods: tuple[str, ...]
    ) -> dict[int, int]:
        """Checks of a kind ('village' or 'town') logged for the given periods, by area."""
        if not periods:
            return {}
        extra, params = _scope(town_id)
        marks = ", ".join("?" * len(periods))
        rows = await self._db.fetch_all(
            f"SELECT {grouping.value}, COUNT(*) FROM checks"
            f" WHERE kind = ? AND period IN ({marks}){extra} GROUP BY {grouping.value}",
            [kind, *periods, *params],
        )
        return {int(r[0]): int(r[1]) for r in rows if r[0] is not None}
