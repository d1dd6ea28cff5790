"""Invite use cases: create a one-time invite for a roster entry, redeem it to bind a Telegram account."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot import texts
from bot.clock import Clock
from bot.domain import limits
from bot.domain.errors import (
    AlreadyBound,
    AmbiguousPerson,
    AmbiguousPlace,
    InviteExpired,
    InviteUnknown,
    InviteUsed,
    NotAllowed,
    NotFound,
    ReasonTooLong,
    UnknownPlace,
)
from bot.domain.hazards import Status
from bot.domain.notifications import Message, Notification
from bot.domain.people import Actor, Channel, Person, Role, Scope
from bot.domain.policy import Action, can_invite, can_invite_bound, role_may
from bot.domain.typed_text import clean, person_name
from bot.services.notify import Notifier
from storage.database import Database
from storage.hazards import HazardRepository
from storage.invites import InviteRecord, InviteRepository
from storage.roster import RosterRepository

log = logging.getLogger(__name__)

_OWNER_HAZARDS_SEEN = 500  # a joining owner's open hazards looked at for officers who stood in for them
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
    REBOUND = "rebound"  # the person was bound to another account, which lost the binding
    ALREADY = "already"
    CONFIRM = "confirm"  # this account is someone else already: nothing changed, the account must confirm first


@dataclass(frozen=True)
class Redeemed:
    """The bound actor and what redeeming did (for CONFIRM: the account's current actor and whom the invite is for)."""

    actor: Actor
    binding: Binding
    target: Person | None = None
    displaced_chat_id: int | None = None  # the other account that held this person until now: it must be told
    displaced_wecom: str | None = None  # the same on WeCom: the WeCom account that held this person until now
    switched_from: Person | None = None  # the person this account was bound to until now


class InviteService:
    """Creates and redeems invites; one account holds one binding, and a binding never moves silently."""

    def __init__(
        self,
        db: Database,
        roster: RosterRepository,
        invites: InviteRepository,
        clock: Clock,
        ttl: timedelta,
        hazards: HazardRepository,
        notifier: Notifier,
    ) -> None:
        self._db = db
        self._roster = roster
        self._invites = invites
        self._clock = clock
        self._ttl = ttl
        self._hazards = hazards
        self._notifier = notifier

    async def create_by(
        self, actor: Actor, role: Role, place: str | None, name: str | None, reason: str | None = None
    ) -> CreatedInvite:
        """An invite made in chat: a supervisor's for people of their own town, an admin's for anyone.

        `place` is a town for a supervisor, a village (or `镇/村` where village names repeat) for an officer or an
        owner, and unused for an admin; a supervisor's village is looked for in their own town. A person who is
        bound already is invited again by an admin only, with a reason.
        """
        if not role_may(actor.role, Action.INVITE):
            raise NotAllowed(Action.INVITE)
        town, _, village = (place or "").rpartition("/") if role in (Role.OFFICER, Role.OWNER) else (place, "", "")
        if actor.role is Role.SUPERVISOR and not town:
            town = actor.town_name
        town_id, village_id = await self._resolve_scope(role, town or None, village or None)
        if not can_invite(actor, role, Scope(town_id=town_id, village_id=village_id)):
            raise NotAllowed(Action.INVITE)
        return await self._create_in(role, town_id, village_id, name, by=actor, reason=reason)

    async def create(
        self,
        role: Role,
        *,
        town: str | None = None,
        village: str | None = None,
        name: str | None = None,
        reason: str | None = None,
    ) -> CreatedInvite:
        """Invite the roster person of this role and scope (created when a new name is given), as the operator."""
        town_id, village_id = await self._resolve_scope(role, town, village)
        return await self._create_in(role, town_id, village_id, name, by=None, reason=reason)

    async def _create_in(
        self,
        role: Role,
        town_id: int | None,
        village_id: int | None,
        name: str | None,
        *,
        by: Actor | None,
        reason: str | None,
    ) -> CreatedInvite:
        name = person_name(name)
        reason = clean(reason or "") or None
        if reason is not None and len(reason) > limits.MAX_REASON:
            raise ReasonTooLong(limits.MAX_REASON)
        matches = await self._roster.people_in(role, town_id, village_id, name)
        if len(matches) > 1:
            raise AmbiguousPerson(len(matches))
        if matches:
            person_id = matches[0].id
            if await self._roster.is_bound(person_id):
                if not can_invite_bound(by):
                    raise AlreadyBound(matches[0].name, reason_missing=False)
                if not reason:
                    raise AlreadyBound(matches[0].name, reason_missing=True)
        elif name:
            async with self._db.transaction() as tx:
                person_id, _ = await self._roster.upsert_person(
                    tx, name=name, role=role, town_id=town_id, village_id=village_id, phone=None, now=self._clock.now()
                )
        else:
            raise NotFound("no such person; a name is needed to create one")
        return await self.create_for(person_id, created_by=by.id if by else None, reason=reason)

    async def create_for(self, person_id: int, *, created_by: int | None, reason: str | None = None) -> CreatedInvite:
        """Invite an existing roster person (e.g. a new owner a supervisor just named); older pending links die."""
        now = self._clock.now()
        code = secrets.token_urlsafe(CODE_BYTES)
        async with self._db.transaction() as tx:
            revoked = await self._invites.revoke_pending(tx, person_id)
            await self._invites.insert(
                tx,
                code_sha256=_digest(code),
                person_id=person_id,
                created_by=created_by,
                now=now,
                expires_at=now + self._ttl,
                reason=reason,
            )
        log.info("invite for person %s by %s (revoked %s older; reason: %s)", person_id, created_by, revoked, reason)
        person = await self._roster.person(person_id)
        assert person is not None
        return CreatedInvite(code=code, person=person, expires_at=now + self._ttl)

    async def redeem(self, code: str, telegram_user_id: int, chat_id: int, *, confirmed: bool = False) -> Redeemed:
        """Bind this Telegram account to the invite's person; a used, expired or unknown code is refused.

        An account bound to someone else changes nothing until it confirms (`confirmed`); then its old binding ends.
        A person bound to another account loses that binding; the admins are told whenever a binding moves.
        """
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
            mine = await self._invites.current_binding(tx, telegram_user_id=telegram_user_id)
            target = await self._roster.person(invite.person_id)
            assert target is not None
            if mine is not None and mine.person_id == invite.person_id:
                await self._invites.mark_used(tx, invite.id, telegram_user_id, now)
                current = await self._roster.actor(telegram_user_id)
                assert current is not None
                return Redeemed(actor=current, binding=Binding.ALREADY)
            if mine is not None and not confirmed:
                current = await self._roster.actor(telegram_user_id)
                assert current is not None
                return Redeemed(actor=current, binding=Binding.CONFIRM, target=target)
            theirs = await self._invites.current_binding(tx, person_id=invite.person_id)
            await self._invites.end_bindings(tx, person_id=invite.person_id, telegram_user_id=telegram_user_id, now=now)
            await self._invites.bind(
                tx,
                person_id=invite.person_id,
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                invite_id=invite.id,
                now=now,
            )
            await self._invites.mark_used(tx, invite.id, telegram_user_id, now)
            await self._roster.note_channel(tx, invite.person_id, Channel.TELEGRAM)
            previous = await self._roster.person(mine.person_id) if mine else None
            for notification in await self._news(invite, target, moved=theirs is not None, switched_from=previous):
                await self._notifier.enqueue(tx, notification, now)
        actor = await self._roster.actor(telegram_user_id)
        assert actor is not None
        log.info(
            "person %s bound to account %s (invite %s; moved from another account: %s; account left person %s)",
            actor.id,
            telegram_user_id,
            invite.id,
            theirs is not None,
            previous.id if previous else None,
        )
        return Redeemed(
            actor=actor,
            binding=Binding.REBOUND if theirs else Binding.NEW,
            displaced_chat_id=theirs.chat_id if theirs else None,
            switched_from=previous,
        )

    async def redeem_wecom(self, code: str, userid: str, *, confirmed: bool = False) -> Redeemed:
        """Bind this WeCom account to the invite's person (`绑定 <code>`): the same codes and rules as on Telegram.

        The person keeps any Telegram binding (a person may use both); a WeCom account held by someone else is
        changed only once confirmed, and a person's earlier WeCom account loses them (the admins are told).
        """
        now = self._clock.now()
        async with self._db.transaction() as tx:
            invite = await self._invites.find(tx, _digest(code))
            if invite is None:
                raise InviteUnknown(code[:8])
            mine = await self._roster.wecom_actor(userid)
            if invite.used_at is not None:
                used_here = (invite.used_by_wecom_userid or "").lower() == userid.lower()
                if used_here and mine is not None and mine.id == invite.person_id:
                    return Redeemed(actor=mine, binding=Binding.ALREADY)
                raise InviteUsed(invite.id)
            if now >= invite.expires_at:
                raise InviteExpired(invite.id)
            target = await self._roster.person(invite.person_id)
            assert target is not None
            if mine is not None and mine.id == target.id:
                await self._invites.mark_used_wecom(tx, invite.id, userid, now)
                return Redeemed(actor=mine, binding=Binding.ALREADY)
            if mine is not None and not confirmed:
                return Redeemed(actor=mine, binding=Binding.CONFIRM, target=target)
            theirs = target.wecom_userid  # the person's earlier WeCom account, which loses them
            await self._roster.bind_wecom(tx, target.id, userid, now)
            await self._invites.mark_used_wecom(tx, invite.id, userid, now)
            await self._roster.note_channel(tx, target.id, Channel.WECOM)
            for notification in await self._news(
                invite, target, moved=theirs is not None, switched_from=mine, wecom=True
            ):
                await self._notifier.enqueue(tx, notification, now)
        actor = await self._roster.wecom_actor(userid)
        assert actor is not None
        log.info(
            "person %s bound to a WeCom account (invite %s; moved from another WeCom account: %s; account left %s)",
            actor.id,
            invite.id,
            theirs is not None,
            mine.id if mine else None,
        )
        return Redeemed(
            actor=actor,
            binding=Binding.REBOUND if theirs else Binding.NEW,
            displaced_wecom=theirs,
            switched_from=mine,
        )

    async def _news(
        self, invite: InviteRecord, person: Person, *, moved: bool, switched_from: Person | None, wecom: bool = False
    ) -> list[Notification]:
        """Who hears of a new binding: the admins when one moved; officers who stood in for an owner who joined."""
        out: list[Notification] = []
        if moved or switched_from is not None:
            inviter = await self._roster.person(invite.created_by) if invite.created_by else None
            text = texts.binding_changed_alert(
                person, moved=moved, switched_from=switched_from, reason=invite.reason, inviter=inviter, wecom=wecom
            )
            for admin in await self._roster.ids_with_role(Role.ADMIN):
                if admin != person.id:
                    key = f"binding:{invite.id}:admin:{admin}"
                    out.append(Notification(person_id=admin, dedupe_key=key, message=Message(text=text), urgent=True))
        if person.role is Role.OWNER and not moved:
            for hazard in await self._hazards.owned_by(person.id, _OWNER_HAZARDS_SEEN):
                if hazard.status is not Status.ASSIGNED:
                    continue
                reporter = await self._roster.person(hazard.reporter_id)
                if reporter is not None and reporter.role is Role.OFFICER:
                    key = f"hazard:{hazard.id}:owner_joined:{invite.id}"
                    message = Message(hazard_id=hazard.id, text=texts.owner_joined_for_proxy(hazard))
                    out.append(Notification(person_id=reporter.id, dedupe_key=key, message=message))
        return out

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
