"""Roster use cases: importing towns, villages and people."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.people import Role
from bot.domain.roster import RosterEntry
from storage.database import Database
from storage.roster import RosterRepository, Upsert


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed, and the roster's size after it."""

    added: int
    updated: int
    unchanged: int
    towns: int
    villages: int


class RosterService:
    """Imports validated roster entries."""

    def __init__(self, db: Database, roster: RosterRepository, clock: Clock) -> None:
        self._db = db
        self._roster = roster
        self._clock = clock

    async def import_entries(self, entries: list[RosterEntry]) -> ImportSummary:
        """Write every entry in one transaction: re-importing updates phones and never duplicates."""
        now = self._clock.now()
        outcome = dict.fromkeys(Upsert, 0)
        async with self._db.transaction() as tx:
            for entry in entries:
                town_id = await self._roster.ensure_town(tx, entry.town) if entry.town else None
                village_id = None
                if entry.village and town_id is not None:
                    village_id = await self._roster.ensure_village(tx, town_id, entry.village)
                _, result = await self._roster.upsert_person(
                    tx,
                    name=entry.name,
                    role=entry.role,
                    town_id=town_id if entry.role is not Role.ADMIN else None,
                    village_id=village_id,
                    phone=entry.phone,
                    now=now,
                )
                outcome[result] += 1
        towns, villages, _ = await self._roster.counts()
        return ImportSummary(
            added=outcome[Upsert.ADDED],
            updated=outcome[Upsert.UPDATED],
            unchanged=outcome[Upsert.UNCHANGED],
            towns=towns,
            villages=villages,
        )
