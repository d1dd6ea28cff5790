"""Roster use cases: importing towns, villages and people; taking a person off the roster or moving them."""

from __future__ import annotations

from dataclasses import dataclass, field

import aiosqlite

from bot.clock import Clock
from bot.domain.errors import AmbiguousPlace, CannotMove, NotFound, SeveralPeople, UnknownPlace
from bot.domain.people import Person, Role
from bot.domain.roster import RosterEntry
from bot.domain.roster_changes import Removed, RosterChanges, changes
from bot.domain.typed_text import clean_name
from storage.database import Database
from storage.invites import InviteRepository
from storage.roster import RosterRepository, Upsert


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed, and the roster's size after it."""

    added: int
    updated: int
    unchanged: int
    towns: int
    villages: int
    removals: RosterChanges = field(default_factory=RosterChanges)
    removals_applied: bool = False


class RosterService:
    """Imports validated roster entries; deactivates and moves people."""

    def __init__(self, db: Database, roster: RosterRepository, invites: InviteRepository, clock: Clock) -> None:
        self._db = db
        self._roster = roster
        self._invites = invites
        self._clock = clock

    async def import_entries(self, entries: list[RosterEntry], *, apply_removals: bool = False) -> ImportSummary:
        """Write every entry in one transaction: re-importing updates phones and never duplicates.

        People missing from the file are listed (moved or deactivated) and only taken away with `apply_removals`.
        """
        removals = changes(entries, await self._roster.active_people())
        async with self._db.transaction() as tx:
            outcome = await self._roster.import_people(tx, entries, self._clock.now())
            if apply_removals:
                for person, entry in removals.moved:
                    town_id, village_id = await self._roster.scope_ids(tx, entry.town, entry.village)
                    target, _ = await self._roster.upsert_person(
                        tx,
                        name=entry.name,
                        role=entry.role,
                        town_id=town_id,
                        village_id=village_id,
                        phone=entry.phone,
                        now=self._clock.now(),
                    )
                    await self._take_away(tx, person.id, moved_to=target)
                for person in removals.deactivated:
                    await self._take_away(tx, person.id, moved_to=None)
        towns, villages, _ = await self._roster.counts()
        return ImportSummary(
            added=outcome[Upsert.ADDED],
            updated=outcome[Upsert.UPDATED],
            unchanged=outcome[Upsert.UNCHANGED],
            towns=towns,
            villages=villages,
            removals=removals,
            removals_applied=apply_removals,
        )

    async def matching(self, name: str, place: str | None = None) -> list[Person]:
        """Active people of this name (at this town, village or 镇/村 when given): one to act on, or a choice."""
        wanted = clean_name(place) if place else None
        return [p for p in await self._roster.active_named(clean_name(name)) if wanted is None or _at(p, wanted)]

    async def one(self, name: str, place: str | None = None) -> Person:
        """The one active person meant by a name (and their present place); NotFound or SeveralPeople otherwise."""
        people = await self.matching(name, place)
        if not people:
            raise NotFound(name)
        if len(people) > 1:
            raise SeveralPeople(people)
        return people[0]

    async def deactivate(self, person: Person) -> Removed:
        """Take the person off the roster: their binding and unused invites end, their records stay."""
        async with self._db.transaction() as tx:
            was_bound, revoked = await self._take_away(tx, person.id, moved_to=None)
        return Removed(person=person, now_at=None, was_bound=was_bound, invites_revoked=revoked)

    async def move(self, person: Person, place: str) -> Removed:
        """Move the person to another town (a supervisor) or village (an officer or owner, `镇/村` if ambiguous).

        Their account follows them to their entry in the new place; the old entry is deactivated with its records.
        """
        if person.role is Role.ADMIN:
            raise CannotMove("admin")
        town_id, village_id = await self._target(person.role, clean_name(place))
        if (town_id, village_id) == (person.town_id, person.village_id):
            raise CannotMove("same_place")
        async with self._db.transaction() as tx:
            target, _ = await self._roster.upsert_person(
                tx,
                name=person.name,
                role=person.role,
                town_id=town_id,
                village_id=village_id,
                phone=person.phone,
                now=self._clock.now(),
            )
            if await self._roster.is_bound(target):
                raise CannotMove("taken")  # another account already uses the entry in the new place
            was_bound, revoked = await self._take_away(tx, person.id, moved_to=target)
        now_at = await self._roster.person(target)
        return Removed(person=person, now_at=now_at, was_bound=was_bound, invites_revoked=revoked)

    async def _take_away(self, tx: aiosqlite.Connection, person_id: int, *, moved_to: int | None) -> tuple[bool, int]:
        now = self._clock.now()
        revoked = await self._invites.revoke_pending(tx, person_id)
        if moved_to is None:
            was_bound = await self._invites.end_binding(tx, person_id, now, "deactivated")
        else:
            was_bound = await self._invites.move_binding(tx, person_id, moved_to, now)
            was_bound = await self._roster.move_wecom(tx, person_id, moved_to, now) or was_bound
        await self._roster.deactivate(tx, person_id, now, moved_to)
        return was_bound, revoked

    async def _target(self, role: Role, place: str) -> tuple[int, int | None]:
        if role is Role.SUPERVISOR:
            town_id = await self._roster.town_id(place)
            if town_id is None:
                raise UnknownPlace(place)
            return town_id, None
        town, _, village = place.rpartition("/")
        town_id = None
        if town:
            town_id = await self._roster.town_id(town)
            if town_id is None:
                raise UnknownPlace(town)
        found = await self._roster.villages_named(village, town_id)
        if not found:
            raise UnknownPlace(town or None, village)
        if len(found) > 1:
            raise AmbiguousPlace(village)
        return found[0]

    async def directory(self) -> list[tuple[Person, int | None]]:
        """Everyone active on the roster and their Telegram account, if bound (the sandbox's list of people)."""
        return await self._roster.directory()


def _at(person: Person, place: str) -> bool:
    """Whether `place` (a town, a village or 镇/村) names where the person is."""
    town, village = person.town_name or "", person.village_name or ""
    return place in (town, village, f"{town}/{village}", f"{town}{village}") and bool(town)
