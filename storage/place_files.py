"""Place files storage (一企一档): finding a place, its card, its changes and the changes waiting for a supervisor;
the village's places with their last visits (what the weekly check offers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.hazards import Closure, Status
from bot.domain.place_file import PlaceCard, PlaceEvent, PlaceField, PlaceHazard, PlaceMatch, PlaceRequest
from bot.domain.places import Grade, PlaceStatus
from storage.database import Database
from storage.timestamps import from_db, to_db

CARD_HAZARDS = 3  # the latest hazards a card lists
CARD_EVENTS = 3  # the latest changes a card lists
_COLUMNS = {PlaceField.GRADE: "grade", PlaceField.OWNER: "owner_id", PlaceField.STATUS: "status"}


@dataclass(frozen=True)
class SearchScope:
    """Where a search looks: a town, a village, an owner's places, or everywhere (all None)."""

    town_id: int | None = None
    village_id: int | None = None
    owner_id: int | None = None

    def sql(self) -> tuple[str, list[int]]:
        """The WHERE terms of this scope (on places p) and their values."""
        terms, values = [], []
        for column, value in (("town_id", self.town_id), ("village_id", self.village_id), ("owner_id", self.owner_id)):
            if value is not None:
                terms.append(f" AND p.{column} = ?")
                values.append(value)
        return "".join(terms), values


@dataclass(frozen=True)
class VillagePlace:
    """A place of the village that is due visits, and when it was last visited."""

    id: int
    name: str
    grade: Grade
    last_visit: datetime | None


class PlaceFileRepository:
    """SQL for a place's file, its waiting changes and the village's places to visit."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # ---- reads ----

    async def find(self, text: str, scope: SearchScope, limit: int) -> list[PlaceMatch]:
        """Places whose number is `text`, or whose name starts with it (in a village or town: or contains it)."""
        where, values = scope.sql()
        select = "SELECT p.id, p.name, v.name FROM places p JOIN villages v ON v.id = p.village_id WHERE "
        if text.isascii() and text.isdigit():
            rows = await self._db.fetch_all(select + f"p.id = ?{where}", [int(text), *values])
        else:
            # The name index: one range for the exact name and the names it begins.
            rows = await self._db.fetch_all(
                select + f"p.name >= ? AND p.name < ?{where} ORDER BY p.name = ? DESC, p.name LIMIT ?",
                [text, text + "\U0010ffff", *values, text, limit],
            )
            if not rows and (scope.village_id is not None or scope.town_id is not None or scope.owner_id is not None):
                rows = await self._db.fetch_all(
                    select + f"instr(p.name, ?) > 0{where} ORDER BY p.name LIMIT ?", [text, *values, limit]
                )
        return [PlaceMatch(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    async def card(self, place_id: int) -> PlaceCard | None:
        """The place's file: fields, hazard counts and the latest, visits, the latest changes, a waiting change."""
        row = await self._db.fetch_one(
            "SELECT p.id, p.town_id, p.village_id, t.name AS town, v.name AS village, p.name, p.type, p.industry,"
            " p.high_risk, p.address, p.owner_id, o.name AS owner, p.grade, p.status, p.confirmed,"
            " (SELECT count(*) FROM hazards WHERE place_id = p.id AND status != 'closed') AS open,"
            " (SELECT count(*) FROM hazards WHERE place_id = p.id AND status = 'closed') AS closed,"
            " (SELECT count(*) FROM place_visits WHERE place_id = p.id) AS visits,"
            " (SELECT to_value FROM place_requests WHERE place_id = p.id AND decided_at IS NULL) AS waiting"
            " FROM places p JOIN towns t ON t.id = p.town_id JOIN villages v ON v.id = p.village_id"
            " LEFT JOIN people o ON o.id = p.owner_id WHERE p.id = ?",
            (place_id,),
        )
        if row is None:
            return None
        hazards = await self._db.fetch_all(
            "SELECT id, status, closure, description, reported_at FROM hazards WHERE place_id = ?"
            " ORDER BY id DESC LIMIT ?",
            (place_id, CARD_HAZARDS),
        )
        last = await self._db.fetch_one(
            "SELECT v.visited_at, p.name FROM place_visits v JOIN people p ON p.id = v.person_id"
            " WHERE v.place_id = ? ORDER BY v.visited_at DESC, v.id DESC LIMIT 1",
            (place_id,),
        )
        events = await self._db.fetch_all(
            "SELECT e.at, a.name, e.field,"
            " CASE WHEN e.field = 'owner' THEN (SELECT name FROM people WHERE id = e.from_value) ELSE e.from_value END,"
            " CASE WHEN e.field = 'owner' THEN (SELECT name FROM people WHERE id = e.to_value) ELSE e.to_value END"
            " FROM place_events e LEFT JOIN people a ON a.id = e.actor_id WHERE e.place_id = ?"
            " ORDER BY e.id DESC LIMIT ?",
            (place_id, CARD_EVENTS),
        )
        return PlaceCard(
            id=row["id"],
            town_id=row["town_id"],
            village_id=row["village_id"],
            town=row["town"],
            village=row["village"],
            name=row["name"],
            type=row["type"],
            industry=row["industry"],
            high_risk=bool(row["high_risk"]),
            address=row["address"],
            owner_id=row["owner_id"],
            owner=row["owner"],
            grade=Grade(row["grade"]),
            status=PlaceStatus(row["status"]),
            confirmed=bool(row["confirmed"]),
            open_hazards=row["open"],
            closed_hazards=row["closed"],
            hazards=[
                PlaceHazard(h[0], Status(h[1]), None if h[2] is None else Closure(h[2]), h[3], from_db(h[4]))
                for h in hazards
            ],
            visits=row["visits"],
            last_visit=None if last is None else from_db(last[0]),
            last_visitor=None if last is None else last[1],
            events=[PlaceEvent(from_db(e[0]), e[1], e[2], e[3], e[4]) for e in events],
            waiting_grade=None if row["waiting"] is None else Grade(row["waiting"]),
        )

    async def request(self, request_id: int) -> PlaceRequest | None:
        """A change asked by an officer."""
        row = await self._db.fetch_one(
            "SELECT r.id, r.place_id, p.name, v.name, p.town_id, r.requested_by, a.name, r.from_value, r.to_value,"
            " r.decided_at IS NOT NULL FROM place_requests r JOIN places p ON p.id = r.place_id"
            " JOIN villages v ON v.id = p.village_id JOIN people a ON a.id = r.requested_by WHERE r.id = ?",
            (request_id,),
        )
        if row is None:
            return None
        return PlaceRequest(
            row[0], row[1], row[2], row[3], row[4], row[5], row[6], Grade(row[7]), Grade(row[8]), decided=bool(row[9])
        )

    async def village_places(self, village_id: int) -> list[VillagePlace]:
        """The village's places that are due visits (not closed, 待核实 too: coverage counts them), with their last
        visits, by name."""
        rows = await self._db.fetch_all(
            "SELECT p.id, p.name, p.grade, (SELECT max(visited_at) FROM place_visits WHERE place_id = p.id)"
            " FROM places p WHERE p.village_id = ? AND p.status != 'closed' ORDER BY p.name",
            (village_id,),
        )
        return [VillagePlace(r[0], r[1], Grade(r[2]), None if r[3] is None else from_db(r[3])) for r in rows]

    async def visited_places(self, village_id: int, since: datetime) -> int:
        """How many of the village's places were visited since the moment."""
        row = await self._db.fetch_one(
            "SELECT count(DISTINCT place_id) FROM place_visits WHERE village_id = ? AND visited_at >= ?",
            (village_id, to_db(since)),
        )
        return int(row[0]) if row else 0

    # ---- writes (inside a caller's transaction) ----

    async def change(
        self,
        tx: aiosqlite.Connection,
        place_id: int,
        field: PlaceField,
        before: str | None,
        after: str,
        actor_id: int,
        now: datetime,
    ) -> bool:
        """Change the field if it still holds `before`, with its event; False when it changed meanwhile."""
        column = _COLUMNS[field]
        cursor = await tx.execute(
            f"UPDATE places SET {column} = ?, updated_at = ? WHERE id = ? AND {column} IS ?",
            (after, to_db(now), place_id, before),
        )
        if cursor.rowcount != 1:
            return False
        await tx.execute(
            "INSERT INTO place_events (place_id, actor_id, at, field, from_value, to_value) VALUES (?, ?, ?, ?, ?, ?)",
            (place_id, actor_id, to_db(now), field.value, before, after),
        )
        return True

    async def ask(
        self, tx: aiosqlite.Connection, place_id: int, actor_id: int, before: Grade, after: Grade, now: datetime
    ) -> int | None:
        """Ask a grade change; None when one is waiting already."""
        try:
            cursor = await tx.execute(
                "INSERT INTO place_requests (place_id, requested_by, requested_at, field, from_value, to_value)"
                " VALUES (?, ?, ?, 'grade', ?, ?)",
                (place_id, actor_id, to_db(now), before.value, after.value),
            )
        except aiosqlite.IntegrityError:
            return None
        return cursor.lastrowid

    async def decide(
        self, tx: aiosqlite.Connection, request_id: int, actor_id: int, approved: bool, now: datetime
    ) -> bool:
        """Record the decision; False when the request was decided already."""
        cursor = await tx.execute(
            "UPDATE place_requests SET decided_by = ?, decided_at = ?, approved = ? WHERE id = ? AND decided_at IS NULL",
            (actor_id, to_db(now), int(approved), request_id),
        )
        return cursor.rowcount == 1
