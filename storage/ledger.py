"""Ledger storage: a period's hazards and checks read in batches by keyset, so an export of any size streams."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from bot.domain.hazards import Hazard
from storage.database import Database
from storage.hazards import HAZARD_SELECT, hazard_from_row
from storage.statistics import ON_TIME
from storage.timestamps import from_db, to_db

BATCH = 500


def _photos(stage: str) -> str:
    return (
        "(SELECT group_concat(name, '; ') FROM (SELECT substr(sha256, 1, 2) || '/' || sha256 || '.' || extension"
        f" AS name FROM hazard_photos WHERE hazard_id = h.id AND stage = '{stage}' ORDER BY position))"
    )


def _last_note(kinds: str) -> str:
    return f"(SELECT note FROM hazard_events WHERE hazard_id = h.id AND kind IN ({kinds}) ORDER BY id DESC LIMIT 1)"


_RECTIFY_NOTE = _last_note("'submit', 'submitted_by_proxy', 'fixed_on_spot'")
_CLOSING_NOTE = _last_note("'verify', 'invalid', 'duplicate'")
# HAZARD_SELECT's columns and joins, plus the ledger's own; its one parameter is ON_TIME's.
_LEDGER_SELECT = HAZARD_SELECT.replace(
    "SELECT h.id,",
    "SELECT o.phone AS owner_phone,"
    f" {_photos('before')} AS before_photos,"
    f" {_photos('after')} AS after_photos,"
    f" {_RECTIFY_NOTE} AS rectify_note,"
    f" CASE WHEN h.status = 'closed' THEN {_CLOSING_NOTE} END AS closing_note,"
    f" CASE WHEN h.closure = 'verified' THEN {ON_TIME} END AS on_time,"
    " h.id,",
    1,
)


@dataclass(frozen=True)
class LedgerEntry:
    """A hazard with what only the ledger shows."""

    hazard: Hazard
    owner_phone: str | None
    rectify_note: str | None
    closing_note: str | None
    on_time: bool | None  # for verified hazards only, by the statistics' definition
    before_photos: list[str]  # media store paths (ab/<sha256>.<ext>)
    after_photos: list[str]


@dataclass(frozen=True)
class LedgerPhoto:
    """One photo of a ledger's hazard: which, where in the media store, and its extension."""

    hazard_id: int
    stage: str  # 'before' or 'after'
    position: int
    path: str  # media store path (ab/<sha256>.<ext>)
    extension: str


@dataclass(frozen=True)
class CheckEntry:
    """A logged check with its place and person named."""

    kind: str
    town: str
    village: str | None
    period: str
    person: str
    places_checked: int
    note: str | None
    photo: str | None
    logged_at: datetime
    updated_at: datetime


def _paths(text: str | None) -> list[str]:
    return text.split("; ") if text else []


class LedgerRepository:
    """SQL for the ledger export."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def count(self, town_id: int | None, start: datetime, end: datetime) -> int:
        """How many hazards were reported in [start, end) (in one town when given): the ledger's rows."""
        scope = "" if town_id is None else " AND town_id = ?"
        row = await self._db.fetch_one(
            f"SELECT COUNT(*) FROM hazards WHERE reported_at >= ? AND reported_at < ?{scope}",
            [to_db(start), to_db(end), *([] if town_id is None else [town_id])],
        )
        return int(row[0]) if row else 0

    async def hazards(
        self, town_id: int | None, start: datetime, end: datetime, utc_offset_minutes: int, *, located: bool = False
    ) -> AsyncIterator[list[LedgerEntry]]:
        """Hazards reported in [start, end) (in one town when given), oldest first, a batch at a time."""
        async for ids in self._batches(town_id, start, end, located=located):
            rows = await self._db.fetch_all(
                f"{_LEDGER_SELECT} WHERE h.id IN ({', '.join('?' * len(ids))}) ORDER BY h.reported_at, h.id",
                [f"{utc_offset_minutes:+d} minutes", *ids],
            )
            yield [
                LedgerEntry(
                    hazard=hazard_from_row(row),
                    owner_phone=row["owner_phone"],
                    rectify_note=row["rectify_note"],
                    closing_note=row["closing_note"],
                    on_time=None if row["on_time"] is None else bool(row["on_time"]),
                    before_photos=_paths(row["before_photos"]),
                    after_photos=_paths(row["after_photos"]),
                )
                for row in rows
            ]

    async def photos(self, town_id: int | None, start: datetime, end: datetime) -> AsyncIterator[list[LedgerPhoto]]:
        """The photos of the same hazards, in the ledger's order (hazard, before then after, position)."""
        async for ids in self._batches(town_id, start, end, located=False):
            rows = await self._db.fetch_all(
                "SELECT p.hazard_id, p.stage, p.position, p.sha256, p.extension FROM hazard_photos p"
                f" JOIN hazards h ON h.id = p.hazard_id WHERE p.hazard_id IN ({', '.join('?' * len(ids))})"
                " ORDER BY h.reported_at, h.id, p.stage DESC, p.position",  # 'before' sorts after 'after': DESC
                ids,
            )
            yield [LedgerPhoto(int(r[0]), str(r[1]), int(r[2]), f"{r[3][:2]}/{r[3]}.{r[4]}", str(r[4])) for r in rows]

    async def _batches(
        self, town_id: int | None, start: datetime, end: datetime, *, located: bool
    ) -> AsyncIterator[list[int]]:
        # Each batch is picked from the cohort index alone, keyset after the last one; only its rows are then read
        # in full (their photos and notes come from correlated subqueries, too dear to compute for rows not sent).
        scope = "" if town_id is None else " AND town_id = ?"
        where = " AND latitude IS NOT NULL AND longitude IS NOT NULL" if located else ""
        since, after = to_db(start), 0
        while True:
            picked = await self._db.fetch_all(
                f"SELECT id, reported_at FROM hazards WHERE reported_at >= ? AND reported_at < ?{scope}{where}"
                " AND (reported_at > ? OR id > ?) ORDER BY reported_at, id LIMIT ?",
                [since, to_db(end), *([] if town_id is None else [town_id]), since, after, BATCH],
            )
            if not picked:
                return
            ids = [int(row[0]) for row in picked]
            yield ids
            since, after = str(picked[-1][1]), ids[-1]

    async def checks(self, town_id: int | None, periods: list[tuple[str, str]]) -> AsyncIterator[list[CheckEntry]]:
        """Checks of the given (kind, period) pairs (in one town when given), period by period, a batch at a time."""
        scope = "" if town_id is None else " AND c.town_id = ?"
        for kind, period in periods:
            after = 0
            while True:
                rows = await self._db.fetch_all(
                    "SELECT c.id, c.kind, t.name, v.name, c.period, p.name, c.places_checked, c.note,"
                    " c.photo_sha256,"
                    " c.logged_at, c.updated_at"
                    " FROM checks c JOIN towns t ON t.id = c.town_id LEFT JOIN villages v ON v.id = c.village_id"
                    " JOIN people p ON p.id = c.person_id"
                    f" WHERE c.kind = ? AND c.period = ?{scope} AND c.id > ? ORDER BY c.id LIMIT ?",
                    [kind, period, *([] if town_id is None else [town_id]), after, BATCH],
                )
                if not rows:
                    break
                yield [
                    CheckEntry(
                        kind=r[1],
                        town=r[2],
                        village=r[3],
                        period=r[4],
                        person=r[5],
                        places_checked=r[6],
                        note=r[7],
                        photo=r[8],
                        logged_at=from_db(r[9]),
                        updated_at=from_db(r[10]),
                    )
                    for r in rows
                ]
                after = int(rows[-1][0])
