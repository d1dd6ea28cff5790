"""Places as a report picks them: a village's buttons page by page, a typed search, a new place awaiting its
supervisor (待核实) and the supervisor's verdict; the place owner offered at 交办.

Every read is one village's range of an index (places_village_use), never the whole table: a province holds 10⁶ places.
"""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain.place_choices import PlaceChoice, PlaceOption
from bot.domain.places import Grade, PlaceStatus
from storage.database import Database
from storage.timestamps import to_db

# A village's places still offered (closed and rejected places are not), most used first, then by name.
PAGE_SQL = (
    "SELECT id, name, confirmed FROM places WHERE village_id = ? AND status != 'closed'"
    " ORDER BY uses DESC, name LIMIT ? OFFSET ?"
)
# A typed text: the village's places whose name or address contains it, its exact name first.
SEARCH_SQL = (
    "SELECT id, name, confirmed FROM places WHERE village_id = ? AND status != 'closed'"
    " AND (instr(name, ?) > 0 OR instr(coalesce(address, ''), ?) > 0)"
    " ORDER BY name = ? DESC, uses DESC, name LIMIT ?"
)
ANY_SQL = "SELECT 1 FROM places WHERE village_id = ? AND status != 'closed' LIMIT 1"
_CHOICE = "SELECT id, town_id, village_id, name, confirmed, rejected, status, owner_id FROM places"


class PlaceChoiceRepository:
    """SQL for picking a place while reporting and deciding a new one."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # ---- reads ----

    async def any_in(self, village_id: int) -> bool:
        """Whether the village has places to offer (else the place is typed as free text, as before places)."""
        return await self._db.fetch_one(ANY_SQL, (village_id,)) is not None

    async def page(self, village_id: int, limit: int, offset: int) -> list[PlaceOption]:
        """A page of the village's buttons: most used first, then by name."""
        rows = await self._db.fetch_all(PAGE_SQL, (village_id, limit, offset))
        return [PlaceOption(int(r[0]), str(r[1]), not r[2]) for r in rows]

    async def search(self, village_id: int, text: str, limit: int) -> list[PlaceOption]:
        """The village's places whose name or address contains the text: the exact name first, then most used."""
        rows = await self._db.fetch_all(SEARCH_SQL, (village_id, text, text, text, limit))
        return [PlaceOption(int(r[0]), str(r[1]), not r[2]) for r in rows]

    async def get(self, place_id: int) -> PlaceChoice | None:
        """The place with this id, wherever it is (the caller checks it is the draft's village)."""
        return _choice(await self._db.fetch_one(f"{_CHOICE} WHERE id = ?", (place_id,)))

    async def named(self, village_id: int, name: str) -> PlaceChoice | None:
        """The village's place of exactly this name."""
        return _choice(await self._db.fetch_one(f"{_CHOICE} WHERE village_id = ? AND name = ?", (village_id, name)))

    async def owner_of_hazard(self, hazard_id: int) -> int | None:
        """The 责任人 of the place the hazard was found at, if it has one."""
        row = await self._db.fetch_one(
            "SELECT p.owner_id FROM hazards h JOIN places p ON p.id = h.place_id WHERE h.id = ?", (hazard_id,)
        )
        return None if row is None or row[0] is None else int(row[0])

    # ---- writes (inside a caller's transaction) ----

    async def add_pending(
        self,
        tx: aiosqlite.Connection,
        *,
        town_id: int,
        village_id: int,
        name: str,
        type_: str,
        actor_id: int,
        now: datetime,
    ) -> tuple[int, bool]:
        """A place typed while reporting: added as 待核实 (an event 'created' by the reporter), or the village's place
        of that name. A rejected one waits for its supervisor again (reopened: an event 'status'). Its id, and
        whether a supervisor must now decide it."""
        stamp = to_db(now)
        cursor = await tx.execute(
            "INSERT INTO places (town_id, village_id, name, type, grade, status, confirmed, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (village_id, name) DO NOTHING",
            (town_id, village_id, name, type_, Grade.YELLOW.value, PlaceStatus.OPEN.value, stamp, stamp),
        )
        if cursor.rowcount == 1:
            assert cursor.lastrowid is not None
            await _event(tx, cursor.lastrowid, actor_id, stamp, "created", None, name)
            return cursor.lastrowid, True
        rows = await tx.execute_fetchall(
            "SELECT id, rejected, status FROM places WHERE village_id = ? AND name = ?", (village_id, name)
        )
        place_id, rejected, status = next(iter(rows))
        if not rejected:
            return int(place_id), False
        await tx.execute(
            "UPDATE places SET rejected = 0, confirmed = 0, status = 'open', updated_at = ? WHERE id = ?",
            (stamp, place_id),
        )
        await _event(tx, place_id, actor_id, stamp, "status", status, PlaceStatus.OPEN.value)
        return int(place_id), True

    async def use(self, tx: aiosqlite.Connection, place_id: int) -> None:
        """Count a pick of the place, so the village's buttons offer the most used first."""
        await tx.execute("UPDATE places SET uses = uses + 1 WHERE id = ?", (place_id,))

    async def decide(
        self, tx: aiosqlite.Connection, place_id: int, actor_id: int, *, confirm: bool, now: datetime
    ) -> bool:
        """确认 or 驳回 a place waiting for its supervisor, with the event (who, when); False if it waits no more."""
        stamp = to_db(now)
        change = "confirmed = 1" if confirm else "rejected = 1, status = 'closed'"
        cursor = await tx.execute(
            f"UPDATE places SET {change}, updated_at = ? WHERE id = ? AND confirmed = 0 AND rejected = 0",
            (stamp, place_id),
        )
        if cursor.rowcount != 1:
            return False
        if confirm:
            await _event(tx, place_id, actor_id, stamp, "confirmed", "0", "1")
        else:
            await _event(tx, place_id, actor_id, stamp, "status", PlaceStatus.OPEN.value, PlaceStatus.CLOSED.value)
        return True


async def _event(
    tx: aiosqlite.Connection,
    place_id: int,
    actor_id: int,
    stamp: str,
    field: str,
    from_value: str | None,
    to_value: str | None,
) -> None:
    await tx.execute(
        "INSERT INTO place_events (place_id, actor_id, at, field, from_value, to_value) VALUES (?, ?, ?, ?, ?, ?)",
        (place_id, actor_id, stamp, field, from_value, to_value),
    )


def _choice(row: aiosqlite.Row | None) -> PlaceChoice | None:
    if row is None:
        return None
    return PlaceChoice(
        id=int(row["id"]),
        town_id=int(row["town_id"]),
        village_id=int(row["village_id"]),
        name=str(row["name"]),
        confirmed=bool(row["confirmed"]),
        rejected=bool(row["rejected"]),
        status=PlaceStatus(row["status"]),
        owner_id=None if row["owner_id"] is None else int(row["owner_id"]),
    )
