"""Invite use cases: create a one-time invite for a roster entry, redeem it to bind a Telegram account."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.clock import Clock
from bot.domain.errors import (
    AmbiguousPerson,
    AmbiguousPlace,
    InviteExpired,
    InviteUnknown,
    InviteUsed,
    NotAllowed,
    NotFound,
    UnknownPlace,
)
from bot.domain.people import Actor, Person, Role, Scope
from bot.domain.policy import Action, can_invite, role_may
from bot.domain.typed_text import person_name
from storage.database import Database
from storage.invites import InviteRepository
from storage.roster import RosterRepository

CODE_BYTES = 16  # 128 bits of randomness; token_urlsafe gives 22 characters, fine for a /start payload


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CreatedInvite:
    """A fresh invite: the code is shown once and never stored."""

    code: str
    person: Person
    expires_at: datetime


class Binding(StrEnum):
    """How a redeemed invite changed the person's Telegram binding."""

    NEW = "new"
    REBOUND = "rebound"
    ALREADY = "already"


@dataclass(frozen=True)
class Redeemed:
    """The bound actor and what redeeming did."""

    actor: Actor
    binding: Binding


class InviteService:
    """Creates and redeems invites."""

    def __init__(
        self, db: Database, roster: RosterRepository, invites: InviteRepository, clock: Clock, ttl: timedelta
    ) -> None:
        self._db = db
        self._roster = roster
        self._invites = invites
        self._clock = clock
        self._ttl = ttl

    async def create_by(self, actor: Actor, role: Role, place: str | None, name: str | None) -> CreatedInvite:
        """An invite made in chat: a supervisor's for people of their own town, an admin's for anyone.

        `place` is a town for a supervisor, a village (or `镇/村` where village names repeat) for an officer or an
        owner, and unused for an admin; a supervisor's village is looked for in their own town.
        """
        if not role_may(actor.role, Action.INVITE):
            raise NotAllowed(Action.INVITE)
        town, _, village = (place or "").rpartition("/") if role in (Role.OFFICER, Role.OWNER) else (place, "", "")
        if actor.role is Role.SUPERVISOR and not town:
            town = actor.town_name
        town_id, village_id = await self._resolve_scope(role, town or None, village or None)
        if not can_invite(actor, role, Scope(town_id=town_id, village_id=village_id)):
            raise NotAllowed(Action.INVITE)
        return await self._create_in(role, town_id, village_id, name, created_by=actor.id)

    async def create(
        self,
        role: Role,
        *,
        town: str | None = None,
        village: str | None = None,
        name: str | None = None,
        created_by: int | None = None,
    ) -> CreatedInvite:
        """Invite the roster person of this role and scope (created when a new name is given)."""
        town_id, village_id = await self._resolve_scope(role, town, village)
        return await self._create_in(role, town_id, village_id, name, created_by=created_by)

    async def _create_in(
        self, role: Role, town_id: int | None, village_id: int | None, name: str | None, *, created_by: int | None
    ) -> CreatedInvite:
        name = person_name(name)
        matches = await self._roster.people_in(role, town_id, village_id, name)
        if len(matches) > 1:
            raise AmbiguousPerson(len(matches))
        if matches:
            person_id = matches[0].id
        elif name:
            async with self._db.transaction() as tx:
                person_id, _ = await self._roster.upsert_person(
                    tx, name=name, role=role, town_id=town_id, village_id=village_id, phone=None, now=self._clock.now()
                )
        else:
            raise NotFound("no such person; a name is needed to create one")
        return await self.create_for(person_id, created_by=created_by)

    async def create_for(self, person_id: int, *, created_by: int | None) -> CreatedInvite:
        """Invite an existing roster person (e.g. a new owner a supervisor just named)."""
        now = self._clock.now()
        code = secrets.token_urlsafe(CODE_BYTES)
        async with self._db.transaction() as tx:
            await self._invites.insert(
                tx,
                code_sha256=_digest(code),
                person_id=person_id,
                created_by=created_by,
                now=now,
                expires_at=now + self._ttl,
            )
        person = await self._roster.person(person_id)
        assert person is not None
        return CreatedInvite(code=code, person=person, expires_at=now + self._ttl)

    async def redeem(self, code: str, telegram_user_id: int, chat_id: int) -> Redeemed:
        """Bind this Telegram account to the invite's person; a used, expired or unknown code is refused."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            invite = await self._invites.find(tx, _digest(code))
            if invite is None:
                raise InviteUnknown(code[:8])
            if invite.used_at is not None:
                current = await self._roster.actor(telegram_user_id)
                if invite.used_by_telegram_user_id == telegram_user_id and current and current.id == invite.person_id:
                    return Redeemed(actor=current, binding=Binding.ALREADY)
                raise InviteUsed(invite.id)
            if now >= invite.expires_at:
                raise InviteExpired(invite.id)
            had_binding = await self._invites.end_bindings(
                tx, person_id=invite.person_id, telegram_user_id=telegram_user_id, now=now, reason="rebound"
            )
            await self._invites.bind(
                tx,
                person_id=invite.person_id,
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                invite_id=invite.id,
                now=now,
            )
            await self._invites.mark_used(tx, invite.id, telegram_user_id, now)
        actor = await self._roster.actor(telegram_user_id)
        assert actor is not None
        return Redeemed(actor=actor, binding=Binding.REBOUND if had_binding else Binding.NEW)

    async def _resolve_scope(self, role: Role, town: str | None, village: str | None) -> tuple[int | None, int | None]:
        if role is Role.ADMIN:
            return None, None
        town_id = None
        if town:
            town_id = await self._roster.town_id(town)
            if town_id is None:
                raise UnknownPlace(town)
        if role is Role.SUPERVISOR:
            if town_id is None:
                raise UnknownPlace(None)
            return town_id, None
        if not village:
            raise UnknownPlace(town, None)
        places = await self._roster.villages_named(village, town_id)
        if not places:
            raise UnknownPlace(town, village)
        if len(places) > 1:
            raise AmbiguousPlace(village)
        return places[0]
