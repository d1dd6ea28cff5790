"""Roster storage: towns, villages, people, who is bound to which Telegram account, and people's WeCom accounts."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum

import aiosqlite

from bot.domain.people import Actor, Channel, Person, Role
from bot.domain.roster import RosterEntry
from storage.database import Database
from storage.timestamps import to_db

_PERSON_COLUMNS = """
    p.id, p.name, p.role, p.town_id, t.name AS town_name, p.village_id, v.name AS village_name, p.phone,
    p.deactivated_at, p.wecom_userid, p.last_channel
"""
_PERSON_FROM = """
    FROM people p
    LEFT JOIN towns t ON t.id = p.town_id
    LEFT JOIN villages v ON v.id = p.village_id
"""


class Upsert(StrEnum):
    """What writing a roster entry did."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def _person(row: aiosqlite.Row) -> Person:
    return Person(
        id=row["id"],
        name=row["name"],
        role=Role(row["role"]),
        town_id=row["town_id"],
        town_name=row["town_name"],
        village_id=row["village_id"],
        village_name=row["village_name"],
        phone=row["phone"],
        active=row["deactivated_at"] is None,
        wecom_userid=row["wecom_userid"],
        last_channel=Channel(row["last_channel"]) if row["last_channel"] else None,
    )


_ACTOR_SELECT = (
    f"SELECT {_PERSON_COLUMNS}, b.telegram_user_id, b.chat_id {_PERSON_FROM}"
    " JOIN telegram_bindings b ON b.person_id = p.id AND b.ended_at IS NULL"
    " WHERE p.deactivated_at IS NULL"
)


def _actor(row: aiosqlite.Row) -> Actor:
    return Actor(**_person(row).model_dump(), telegram_user_id=row["telegram_user_id"], chat_id=row["chat_id"])


class RosterRepository:
    """SQL for the roster tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # ---- writes (inside a caller's transaction) ----

    async def import_people(
        self, tx: aiosqlite.Connection, entries: list[RosterEntry], now: datetime
    ) -> dict[Upsert, int]:
        """Write roster entries in bulk: places created as needed, people added or their phone and WeCom account updated.

        A WeCom account given in the file is the row's: anyone else holding it (someone taken off the roster, or
        missing from this file) loses it.
        """
        await tx.executemany(
            "INSERT INTO towns (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
            [(town,) for town in sorted({e.town for e in entries if e.town})],
        )
        town_ids = {name: id_ for id_, name in await tx.execute_fetchall("SELECT id, name FROM towns")}
        await tx.executemany(
            "INSERT INTO villages (town_id, name) VALUES (?, ?) ON CONFLICT (town_id, name) DO NOTHING",
            sorted({(town_ids[e.town], e.village) for e in entries if e.town and e.village}),
        )
        village_ids = {
            (town_id, name): id_
            for id_, town_id, name in await tx.execute_fetchall("SELECT id, town_id, name FROM villages")
        }
        existing = {
            (role, town_id, village_id, name): (id_, phone, deactivated, wecom)
            for id_, role, town_id, village_id, name, phone, deactivated, wecom in await tx.execute_fetchall(
                "SELECT id, role, town_id, village_id, name, phone, deactivated_at IS NOT NULL, wecom_userid"
                " FROM people"
            )
        }
        stamp = to_db(now)
        added, updated, restored = [], [], []
        accounts: list[tuple[str, int]] = []  # (WeCom account, its person: 0 for one being added)
        for entry in entries:
            town_id = town_ids[entry.town] if entry.town else None
            village_id = village_ids[(town_id, entry.village)] if entry.village else None
            found = existing.get((entry.role.value, town_id, village_id, entry.name))
            wecom = entry.wecom_userid
            if wecom is not None:
                accounts.append((wecom, found[0] if found else 0))
            if found is None:
                added.append((entry.name, entry.role.value, town_id, village_id, entry.phone, wecom, stamp, stamp))
            elif found[2]:
                # Back on the roster in the same place: the same entry again, its history continuous.
                restored.append((entry.phone or found[1], wecom or found[3], stamp, found[0]))
            elif (entry.phone is not None and found[1] != entry.phone) or _new_account(wecom, found[3]):
                updated.append((entry.phone or found[1], wecom or found[3], stamp, found[0]))
        # Accounts change hands before any is written, so two people may even swap theirs in one file.
        await tx.executemany(
            "UPDATE people SET wecom_userid = NULL, updated_at = ? WHERE wecom_userid = ? AND id != ?",
            [(stamp, wecom, person_id) for wecom, person_id in accounts],
        )
        await tx.executemany(
            "INSERT INTO people (name, role, town_id, village_id, phone, wecom_userid, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            added,
        )
        await tx.executemany("UPDATE people SET phone = ?, wecom_userid = ?, updated_at = ? WHERE id = ?", updated)
        await tx.executemany(
            "UPDATE people SET phone = ?, wecom_userid = ?, updated_at = ?, deactivated_at = NULL, moved_to = NULL"
            " WHERE id = ?",
            restored,
        )
        return {
            Upsert.ADDED: len(added) + len(restored),
            Upsert.UPDATED: len(updated),
            Upsert.UNCHANGED: len(entries) - len(added) - len(restored) - len(updated),
        }

    async def same_person(self, *, name: str, role: Role, town_id: int | None, village_id: int | None) -> int | None:
        """The id upsert_person would update for this name, role and scope (None: it would add a person)."""
        row = await self._db.fetch_one(
            "SELECT id FROM people WHERE role = ? AND COALESCE(town_id, 0) = COALESCE(?, 0)"
            " AND COALESCE(village_id, 0) = COALESCE(?, 0) AND name = ?",
            (role.value, town_id, village_id, name),
        )
        return None if row is None else int(row[0])

    async def upsert_person(
        self,
        tx: aiosqlite.Connection,
        *,
        name: str,
        role: Role,
        town_id: int | None,
        village_id: int | None,
        phone: str | None,
        now: datetime,
    ) -> tuple[int, Upsert]:
        """Insert the person, or update the phone of the same name in the same role and scope (reactivated)."""
        async with tx.execute(
            "SELECT id, phone, deactivated_at FROM people WHERE role = ? AND COALESCE(town_id, 0) = COALESCE(?, 0)"
            " AND COALESCE(village_id, 0) = COALESCE(?, 0) AND name = ?",
            (role.value, town_id, village_id, name),
        ) as cursor:
            row = await cursor.fetchone()
        stamp = to_db(now)
        if row is None:
            cursor = await tx.execute(
                "INSERT INTO people (name, role, town_id, village_id, phone, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, role.value, town_id, village_id, phone, stamp, stamp),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid, Upsert.ADDED
        if row["deactivated_at"] is not None:
            await tx.execute(
                "UPDATE people SET phone = COALESCE(?, phone), updated_at = ?, deactivated_at = NULL, moved_to = NULL"
                " WHERE id = ?",
                (phone, stamp, row["id"]),
            )
            return int(row["id"]), Upsert.ADDED
        if phone is None or row["phone"] == phone:
            return int(row["id"]), Upsert.UNCHANGED
        await tx.execute("UPDATE people SET phone = ?, updated_at = ? WHERE id = ?", (phone, stamp, row["id"]))
        return int(row["id"]), Upsert.UPDATED

    async def bind_wecom(self, tx: aiosqlite.Connection, person_id: int, userid: str, now: datetime) -> int | None:
        """Give the person this WeCom account; the person who held it until now (they lose it), if any."""
        async with tx.execute(
            "SELECT id FROM people WHERE wecom_userid = ? AND id != ?", (userid, person_id)
        ) as cursor:
            row = await cursor.fetchone()
        stamp = to_db(now)
        if row is not None:
            await tx.execute("UPDATE people SET wecom_userid = NULL, updated_at = ? WHERE id = ?", (stamp, row[0]))
        await tx.execute("UPDATE people SET wecom_userid = ?, updated_at = ? WHERE id = ?", (userid, stamp, person_id))
        return None if row is None else int(row[0])

    async def move_wecom(self, tx: aiosqlite.Connection, from_person: int, to_person: int, now: datetime) -> bool:
        """A moved person's WeCom account follows them to their new entry (unless it has one); False if none moved."""
        async with tx.execute(
            "SELECT a.wecom_userid FROM people a JOIN people b ON b.id = ?"
            " WHERE a.id = ? AND a.wecom_userid IS NOT NULL AND b.wecom_userid IS NULL",
            (to_person, from_person),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return False
        await self.bind_wecom(tx, to_person, str(row[0]), now)
        return True

    async def deactivate(
        self, tx: aiosqlite.Connection, person_id: int, now: datetime, moved_to: int | None = None
    ) -> None:
        """Take the person off the roster (to their entry in a new place when moved); their records stay."""
        await tx.execute(
            "UPDATE people SET deactivated_at = ?, moved_to = ?, updated_at = ? WHERE id = ?",
            (to_db(now), moved_to, to_db(now), person_id),
        )

    async def scope_ids(
        self, tx: aiosqlite.Connection, town: str | None, village: str | None
    ) -> tuple[int | None, int | None]:
        """Ids of a town and village by name, read in the caller's transaction (they may have just been created)."""
        rows = await tx.execute_fetchall(
            "SELECT t.id, v.id FROM towns t LEFT JOIN villages v ON v.town_id = t.id AND v.name = ? WHERE t.name = ?",
            (village or "", town or ""),
        )
        row = next(iter(rows), None)
        if row is None:
            return None, None
        return int(row[0]), (int(row[1]) if village else None)

    # ---- reads ----

    async def active_people(self) -> list[Person]:
        """Everyone currently on the roster."""
        rows = await self._db.fetch_all(f"SELECT {_PERSON_COLUMNS} {_PERSON_FROM} WHERE p.deactivated_at IS NULL")
        return [_person(r) for r in rows]

    async def active_named(self, name: str) -> list[Person]:
        """Everyone currently on the roster with this name, by id."""
        rows = await self._db.fetch_all(
            f"SELECT {_PERSON_COLUMNS} {_PERSON_FROM} WHERE p.deactivated_at IS NULL AND p.name = ? ORDER BY p.id",
            (name,),
        )
        return [_person(r) for r in rows]

    async def deactivated_account(self, telegram_user_id: int) -> bool:
        """Whether this account's last binding ended because its person was taken off the roster."""
        row = await self._db.fetch_one(
            "SELECT ended_at IS NOT NULL AND end_reason = 'deactivated' FROM telegram_bindings"
            " WHERE telegram_user_id = ? ORDER BY id DESC LIMIT 1",
            (telegram_user_id,),
        )
        return bool(row and row[0])

    async def wecom_person(self, userid: str) -> Person | None:
        """The person holding this WeCom account (taken off the roster or not), None for a stranger."""
        row = await self._db.fetch_one(f"SELECT {_PERSON_COLUMNS} {_PERSON_FROM} WHERE p.wecom_userid = ?", (userid,))
        return _person(row) if row is not None else None

    async def wecom_actor(self, userid: str) -> Actor | None:
        """The active person holding this WeCom account, acting on WeCom."""
        person = await self.wecom_person(userid)
        return Actor(**person.model_dump(), channel=Channel.WECOM) if person is not None and person.active else None

    async def wecom_userid(self, person_id: int) -> str | None:
        """The WeCom account of a person, None when they have none."""
        row = await self._db.fetch_one("SELECT wecom_userid FROM people WHERE id = ?", (person_id,))
        return None if row is None or row[0] is None else str(row[0])

    async def wecom_userids(self, person_ids: list[int]) -> dict[int, str]:
        """The WeCom accounts of those of these people (active ones) who have one, by person id."""
        rows = await self._db.fetch_all(
            "SELECT id, wecom_userid FROM people WHERE id IN (SELECT value FROM json_each(?))"
            " AND wecom_userid IS NOT NULL AND deactivated_at IS NULL",
            (json.dumps(sorted(set(person_ids))),),
        )
        return {int(row[0]): str(row[1]) for row in rows}

    async def set_last_channel(self, person_id: int, channel: Channel) -> None:
        """Record the channel the person last wrote from (written only when it changed)."""
        async with self._db.transaction() as tx:
            await self.note_channel(tx, person_id, channel)

    async def note_channel(self, tx: aiosqlite.Connection, person_id: int, channel: Channel) -> None:
        """The same, inside the caller's transaction (a binding: the channel just bound is the one last used)."""
        await tx.execute(
            "UPDATE people SET last_channel = ? WHERE id = ? AND last_channel IS NOT ?",
            (channel.value, person_id, channel.value),
        )

    async def town_id(self, name: str) -> int | None:
        """Id of a town by name."""
        row = await self._db.fetch_one("SELECT id FROM towns WHERE name = ?", (name,))
        return int(row[0]) if row else None

    async def villages_named(self, name: str, town_id: int | None = None) -> list[tuple[int, int]]:
        """(town id, village id) of every village with this name, in one town when given."""
        rows = await self._db.fetch_all(
            "SELECT town_id, id FROM villages WHERE name = ? AND (? IS NULL OR town_id = ?) ORDER BY id",
            (name, town_id, town_id),
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def person(self, person_id: int) -> Person | None:
        """One roster entry."""
        row = await self._db.fetch_one(f"SELECT {_PERSON_COLUMNS} {_PERSON_FROM} WHERE p.id = ?", (person_id,))
        return _person(row) if row else None

    async def people(self, person_ids: list[int]) -> dict[int, Person]:
        """Several roster entries at once, by id."""
        rows = await self._db.fetch_all(
            f"SELECT {_PERSON_COLUMNS} {_PERSON_FROM} WHERE p.id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(person_ids))),),
        )
        return {int(row["id"]): _person(row) for row in rows}

    async def people_in(
        self, role: Role, town_id: int | None, village_id: int | None, name: str | None = None
    ) -> list[Person]:
        """Active people of a role at exactly this scope, optionally with this name."""
        rows = await self._db.fetch_all(
            f"SELECT {_PERSON_COLUMNS} {_PERSON_FROM}"
            " WHERE p.deactivated_at IS NULL AND p.role = ? AND COALESCE(p.town_id, 0) = COALESCE(?, 0)"
            " AND COALESCE(p.village_id, 0) = COALESCE(?, 0) AND (? IS NULL OR p.name = ?) ORDER BY p.id",
            (role.value, town_id, village_id, name, name),
        )
        return [_person(r) for r in rows]

    async def directory(self) -> list[tuple[Person, int | None]]:
        """Everyone active on the roster with their current Telegram account (None: not bound), by town and village."""
        rows = await self._db.fetch_all(
            f"SELECT {_PERSON_COLUMNS}, b.telegram_user_id {_PERSON_FROM}"
            " LEFT JOIN telegram_bindings b ON b.person_id = p.id AND b.ended_at IS NULL"
            " WHERE p.deactivated_at IS NULL"
            " ORDER BY t.id IS NOT NULL, t.id, v.id IS NOT NULL, v.id, p.role, p.id"
        )
        return [(_person(row), row["telegram_user_id"]) for row in rows]

    async def actor(self, telegram_user_id: int) -> Actor | None:
        """The person currently bound to this Telegram account."""
        row = await self._db.fetch_one(f"{_ACTOR_SELECT} AND b.telegram_user_id = ?", (telegram_user_id,))
        return _actor(row) if row is not None else None

    async def bound(self, person_ids: list[int]) -> list[Actor]:
        """Those of these people who are bound to a Telegram account."""
        rows = await self._db.fetch_all(
            f"{_ACTOR_SELECT} AND p.id IN (SELECT value FROM json_each(?))", (json.dumps(person_ids),)
        )
        return [_actor(row) for row in rows]

    async def villages_of(self, town_id: int) -> list[tuple[int, str]]:
        """(id, name) of the town's villages, by name."""
        rows = await self._db.fetch_all("SELECT id, name FROM villages WHERE town_id = ? ORDER BY name", (town_id,))
        return [(int(row[0]), str(row[1])) for row in rows]

    async def village_label(self, village_id: int) -> str:
        """Town and village name together, e.g. 青龙镇新龙村."""
        row = await self._db.fetch_one(
            "SELECT t.name || v.name FROM villages v JOIN towns t ON t.id = v.town_id WHERE v.id = ?", (village_id,)
        )
        assert row is not None
        return str(row[0])

    async def town_of_village(self, village_id: int) -> int | None:
        """The town a village belongs to."""
        row = await self._db.fetch_one("SELECT town_id FROM villages WHERE id = ?", (village_id,))
        return int(row[0]) if row else None

    async def is_bound(self, person_id: int) -> bool:
        """Whether the person uses Telegram (has a current binding); a WeCom account does not count here."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM telegram_bindings WHERE person_id = ? AND ended_at IS NULL", (person_id,)
        )
        return row is not None

    async def ids_with_role(self, role: Role, town_id: int | None = None) -> list[int]:
        """Ids of everyone active with this role (in one town when given)."""
        # Two statements rather than "(? IS NULL OR town_id = ?)", which SQLite cannot answer from people_town.
        if town_id is None:
            rows = await self._db.fetch_all(
                "SELECT id FROM people WHERE role = ? AND deactivated_at IS NULL ORDER BY id", (role.value,)
            )
        else:
            rows = await self._db.fetch_all(
                "SELECT id FROM people WHERE town_id = ? AND role = ? AND deactivated_at IS NULL ORDER BY id",
                (town_id, role.value),
            )
        return [int(row[0]) for row in rows]

    async def counts(self) -> tuple[int, int, int]:
        """Numbers of towns, villages and people."""
        row = await self._db.fetch_one(
            "SELECT (SELECT COUNT(*) FROM towns), (SELECT COUNT(*) FROM villages), (SELECT COUNT(*) FROM people)"
        )
        assert row is not None
        return int(row[0]), int(row[1]), int(row[2])


def _new_account(wecom: str | None, held: str | None) -> bool:
    """Whether the file gives a WeCom account other than the one held (WeCom compares them without case)."""
    return wecom is not None and (held is None or wecom.lower() != held.lower())
