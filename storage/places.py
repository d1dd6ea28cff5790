"""Places storage: the places of each village, their changes (events) and visits; reads for coverage and the ledger."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.place_rows import PlaceEntry
from bot.domain.places import Grade, PlaceStatus
from storage.database import Database
from storage.timestamps import from_db, to_db

BATCH = 500
# The columns a file import sets, in PlaceEntry's order after (village_id, name); owner_id follows them.
_FIELDS = ("type", "industry", "high_risk", "address", "latitude", "longitude", "grade", "status")
_EVENT_FIELDS = ("grade", "owner_id", "status")


@dataclass(frozen=True)
class ImportCounts:
    """What a places import did to the places."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: ImportCounts) -> ImportCounts:
        return ImportCounts(self.added + other.added, self.updated + other.updated, self.unchanged + other.unchanged)


@dataclass(frozen=True)
class PlaceRow:
    """A place as the 底数清单 lists it: every field, its owner named, its last visit and open hazards."""

    id: int
    town: str
    village: str
    name: str
    type: str
    industry: str | None
    high_risk: bool
    address: str | None
    latitude: float | None
    longitude: float | None
    owner: str | None
    owner_phone: str | None
    grade: Grade
    status: PlaceStatus
    confirmed: bool
    rejected: bool  # added while reporting and rejected by the supervisor (驳回)
    last_visit: datetime | None
    open_hazards: int
    updated_at: datetime


@dataclass(frozen=True)
class OwnerRow:
    """One owner as the 责任清单 lists them: their places, open hazards and nearest deadline."""

    id: int
    town: str
    village: str
    name: str
    phone: str | None
    places: list[str]
    open_hazards: int
    nearest_deadline: str | None


def existing_sql(keys: int) -> str:
    """The places of `keys` (village id, name) pairs, with what an import compares."""
    values = ", ".join("(?, ?)" for _ in range(keys))
    # CROSS JOIN: each key is one search of places_village_name (IN (VALUES ...) scanned the table for every batch).
    return (
        f"WITH k (village_id, name) AS (VALUES {values}) SELECT p.id, p.village_id, p.name,"
        f" {', '.join(f'p.{f}' for f in _FIELDS)}, p.owner_id, p.confirmed"
        " FROM k CROSS JOIN places p ON p.village_id = k.village_id AND p.name = k.name"
    )


class PlaceRepository:
    """SQL for the places tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # ---- writes (inside a caller's transaction) ----

    async def import_places(
        self,
        tx: aiosqlite.Connection,
        entries: Sequence[PlaceEntry],
        owner_ids: Mapping[tuple[int, str], int],
        now: datetime,
    ) -> ImportCounts:
        """Add or update places by (village, name), a batch at a time; every change of grade, owner or status is
        an event with no actor (the file)."""
        counts = ImportCounts()
        for start in range(0, len(entries), BATCH):
            counts += await self._import_batch(tx, entries[start : start + BATCH], owner_ids, to_db(now))
        return counts

    async def _import_batch(
        self,
        tx: aiosqlite.Connection,
        batch: Sequence[PlaceEntry],
        owner_ids: Mapping[tuple[int, str], int],
        stamp: str,
    ) -> ImportCounts:
        existing = {
            (row[1], row[2]): row
            for row in await tx.execute_fetchall(
                existing_sql(len(batch)), [value for entry in batch for value in (entry.village_id, entry.name)]
            )
        }
        added, updated, events = [], [], []
        for entry in batch:
            owner_id = owner_ids.get((entry.village_id, entry.owner)) if entry.owner else None
            values = (
                entry.type,
                entry.industry,
                int(entry.high_risk),
                entry.address,
                entry.latitude,
                entry.longitude,
                entry.grade.value,
                entry.status.value,
                owner_id,
            )
            found = existing.get((entry.village_id, entry.name))
            if found is None:
                added.append((entry.town_id, entry.village_id, entry.name, *values, stamp, stamp))
                continue
            before = tuple(found[3 : 3 + len(values)])
            if before == values and found["confirmed"]:
                continue
            updated.append((*values, stamp, found["id"]))
            for field in _EVENT_FIELDS:
                old, new = found[field], values[(*_FIELDS, "owner_id").index(field)]
                if old != new:
                    events.append((found["id"], stamp, field.removesuffix("_id"), _text(old), _text(new)))
            if not found["confirmed"]:
                events.append((found["id"], stamp, "confirmed", "0", "1"))
        await tx.executemany(
            f"INSERT INTO places (town_id, village_id, name, {', '.join(_FIELDS)}, owner_id, created_at, updated_at)"
            f" VALUES ({', '.join('?' * (len(_FIELDS) + 6))})",
            added,
        )
        if added:
            created = await tx.execute_fetchall(
                existing_sql(len(added)), [value for row in added for value in (row[1], row[2])]
            )
            events += [(row["id"], stamp, "created", None, row["name"]) for row in created]
        await tx.executemany(
            f"UPDATE places SET {', '.join(f'{f} = ?' for f in _FIELDS)}, owner_id = ?, confirmed = 1, rejected = 0,"
            " updated_at = ?"
            " WHERE id = ?",
            updated,
        )
        await tx.executemany(
            "INSERT INTO place_events (place_id, actor_id, at, field, from_value, to_value)"
            " VALUES (?, NULL, ?, ?, ?, ?)",
            events,
        )
        return ImportCounts(len(added), len(updated), len(batch) - len(added) - len(updated))

    async def owner_ids(self, tx: aiosqlite.Connection, village_ids: Sequence[int]) -> dict[tuple[int, str], int]:
        """Active owners of these villages by (village id, name), read in the caller's transaction."""
        found: dict[tuple[int, str], int] = {}
        for start in range(0, len(village_ids), BATCH):
            chunk = village_ids[start : start + BATCH]
            rows = await tx.execute_fetchall(
                "SELECT id, village_id, name FROM people WHERE role = 'owner' AND deactivated_at IS NULL"
                f" AND village_id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            found |= {(row[1], row[2]): row[0] for row in rows}
        return found

    async def visit(
        self,
        tx: aiosqlite.Connection,
        place_id: int,
        person_id: int,
        at: datetime,
        check_id: int | None = None,
        photo_sha256: str | None = None,
    ) -> None:
        """Log a visit at the place (its town and village copied for coverage) and count it as a use."""
        await tx.execute(
            "INSERT INTO place_visits (place_id, town_id, village_id, person_id, check_id, visited_at, photo_sha256)"
            " SELECT id, town_id, village_id, ?, ?, ?, ? FROM places WHERE id = ?",
            (person_id, check_id, to_db(at), photo_sha256, place_id),
        )
        await tx.execute("UPDATE places SET uses = uses + 1 WHERE id = ?", (place_id,))

    # ---- reads ----

    async def villages(self) -> dict[tuple[str, str], tuple[int, int]]:
        """Every village of the roster by (town name, village name) → (town id, village id)."""
        rows = await self._db.fetch_all(
            "SELECT t.name, v.name, t.id, v.id FROM villages v JOIN towns t ON t.id = v.town_id"
        )
        return {(row[0], row[1]): (row[2], row[3]) for row in rows}

    async def named(self, village_id: int, name: str) -> int | None:
        """The id of the village's place of this name."""
        row = await self._db.fetch_one("SELECT id FROM places WHERE village_id = ? AND name = ?", (village_id, name))
        return None if row is None else int(row[0])

    async def of_village(self, village_id: int, limit: int, prefix: str = "") -> list[tuple[int, str]]:
        """The village's places (names starting with `prefix`), most used first: its buttons."""
        if prefix:
            rows = await self._db.fetch_all(
                "SELECT id, name FROM places WHERE village_id = ? AND name >= ? AND name < ? AND status != 'closed'"
                " ORDER BY uses DESC, name LIMIT ?",
                (village_id, prefix, prefix + "\U0010ffff", limit),
            )
        else:
            rows = await self._db.fetch_all(
                "SELECT id, name FROM places WHERE village_id = ? AND status != 'closed'"
                " ORDER BY uses DESC, name LIMIT ?",
                (village_id, limit),
            )
        return [(int(row[0]), str(row[1])) for row in rows]

    async def due_places(self, town_id: int) -> list[tuple[int, int, Grade]]:
        """The town's places that are due visits (not closed): (id, village id, grade), from the index alone."""
        rows = await self._db.fetch_all(
            "SELECT id, village_id, grade FROM places INDEXED BY places_town_grade"
            " WHERE town_id = ? AND status IN ('open', 'suspended')",
            (town_id,),
        )
        return [(int(row[0]), int(row[1]), Grade(row[2])) for row in rows]

    async def visits(self, town_id: int, start: datetime, end: datetime) -> list[tuple[int, datetime]]:
        """The town's visits in [start, end): (place id, moment), from the index alone."""
        rows = await self._db.fetch_all(
            "SELECT place_id, visited_at FROM place_visits INDEXED BY place_visits_town"
            " WHERE town_id = ? AND visited_at >= ? AND visited_at < ?",
            (town_id, to_db(start), to_db(end)),
        )
        return [(int(row[0]), from_db(row[1])) for row in rows]

    async def ledger_places(self, town_id: int | None) -> AsyncIterator[list[PlaceRow]]:
        """Every place (of one town when given) by town, village and name, a batch at a time (keyset by id order)."""
        scope = "" if town_id is None else " AND p.town_id = ?"
        after = (0, 0, "")
        while True:
            rows = await self._db.fetch_all(
                "SELECT p.id, t.name AS town, v.name AS village, p.name, p.type, p.industry, p.high_risk, p.address,"
                " p.latitude, p.longitude, o.name AS owner, o.phone AS owner_phone, p.grade, p.status, p.confirmed,"
                " p.rejected,"
                " (SELECT max(visited_at) FROM place_visits WHERE place_id = p.id) AS last_visit,"
                " (SELECT count(*) FROM hazards WHERE place_id = p.id AND status != 'closed') AS open_hazards,"
                " p.updated_at, p.town_id, p.village_id"
                " FROM places p JOIN towns t ON t.id = p.town_id JOIN villages v ON v.id = p.village_id"
                " LEFT JOIN people o ON o.id = p.owner_id"
                f" WHERE (p.town_id, p.village_id, p.name) > (?, ?, ?){scope}"
                " ORDER BY p.town_id, p.village_id, p.name LIMIT ?",
                [*after, *([] if town_id is None else [town_id]), BATCH],
            )
            if not rows:
                return
            yield [
                PlaceRow(
                    id=r["id"],
                    town=r["town"],
                    village=r["village"],
                    name=r["name"],
                    type=r["type"],
                    industry=r["industry"],
                    high_risk=bool(r["high_risk"]),
                    address=r["address"],
                    latitude=r["latitude"],
                    longitude=r["longitude"],
                    owner=r["owner"],
                    owner_phone=r["owner_phone"],
                    grade=Grade(r["grade"]),
                    status=PlaceStatus(r["status"]),
                    confirmed=bool(r["confirmed"]),
                    rejected=bool(r["rejected"]),
                    last_visit=None if r["last_visit"] is None else from_db(r["last_visit"]),
                    open_hazards=r["open_hazards"],
                    updated_at=from_db(r["updated_at"]),
                )
                for r in rows
            ]
            last = rows[-1]
            after = (last["town_id"], last["village_id"], last["name"])

    async def ledger_owners(self, town_id: int | None) -> AsyncIterator[list[OwnerRow]]:
        """Every active owner with a place or an open hazard (of one town when given): their places, open hazards
        and nearest deadline."""
        scope = "" if town_id is None else " AND p.town_id = ?"
        after = 0
        while True:
            rows = await self._db.fetch_all(
                "SELECT p.id, t.name AS town, v.name AS village, p.name, p.phone,"
                # Joined by the unit separator, which a cleaned name never holds; the catalog joins them for people.
                " (SELECT group_concat(name, char(31)) FROM (SELECT name FROM places WHERE owner_id = p.id ORDER BY name))"
                " AS places,"
                " (SELECT count(*) FROM hazards WHERE owner_id = p.id AND status != 'closed') AS open_hazards,"
                " (SELECT min(deadline) FROM hazards WHERE owner_id = p.id AND status IN ('assigned', 'submitted'))"
                " AS nearest_deadline"
                " FROM people p JOIN towns t ON t.id = p.town_id JOIN villages v ON v.id = p.village_id"
                f" WHERE p.role = 'owner' AND p.deactivated_at IS NULL AND p.id > ?{scope}"
                # An owner with neither a place nor an open hazard answers for nothing yet.
                " AND (EXISTS (SELECT 1 FROM places WHERE owner_id = p.id)"
                " OR EXISTS (SELECT 1 FROM hazards WHERE owner_id = p.id AND status != 'closed'))"
                " ORDER BY p.id LIMIT ?",
                [after, *([] if town_id is None else [town_id]), BATCH],
            )
            if not rows:
                return
            yield [
                OwnerRow(
                    id=r["id"],
                    town=r["town"],
                    village=r["village"],
                    name=r["name"],
                    phone=r["phone"],
                    places=r["places"].split("\x1f") if r["places"] else [],
                    open_hazards=r["open_hazards"],
                    nearest_deadline=r["nearest_deadline"],
                )
                for r in rows
            ]
            after = int(rows[-1]["id"])


def _text(value: object) -> str | None:
    return None if value is None else str(value)
