"""Roster use cases: importing towns, villages and people."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.people import Person
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
        async with self._db.transaction() as tx:
            outcome = await self._roster.import_people(tx, entries, self._clock.now())
        towns, villages, _ = await self._roster.counts()
        return ImportSummary(
            added=outcome[Upsert.ADDED],
            updated=outcome[Upsert.UPDATED],
            unchanged=outcome[Upsert.UNCHANGED],
            towns=towns,
            villages=villages,
        )

    async def directory(self) -> list[tuple[Person, int | None]]:
        """Everyone on the roster and their Telegram account, if bound (the sandbox's list of people)."""
        return await self._roster.directory()
