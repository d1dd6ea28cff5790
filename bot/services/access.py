"""Access use cases: who is behind an update (Telegram or WeCom), the channel last used, the one-time group notice."""

from __future__ import annotations

import logging

from bot.clock import Clock
from bot.domain.people import Actor, Person
from storage.chats import ChatRepository
from storage.database import DatabaseBusy
from storage.roster import RosterRepository

log = logging.getLogger(__name__)


class AccessService:
    """Resolves Telegram and WeCom accounts to roster people."""

    def __init__(self, roster: RosterRepository, chats: ChatRepository, clock: Clock) -> None:
        self._roster = roster
        self._chats = chats
        self._clock = clock

    async def bound(self, person_ids: list[int]) -> list[Actor]:
        """Those of these people who are bound to a Telegram account."""
        return await self._roster.bound(person_ids)

    async def actor(self, telegram_user_id: int) -> Actor | None:
        """The bound person behind this Telegram account, None for strangers."""
        return await self._roster.actor(telegram_user_id)

    async def deactivated(self, telegram_user_id: int) -> bool:
        """Whether this account belonged to a person since taken off the roster (told so, shown nothing)."""
        return await self._roster.deactivated_account(telegram_user_id)

    async def wecom_actor(self, userid: str) -> Actor | None:
        """The active person behind this WeCom account (roster column or 绑定 <code>), None for strangers."""
        return await self._roster.wecom_actor(userid)

    async def wecom_deactivated(self, userid: str) -> bool:
        """Whether this WeCom account belongs to a person since taken off the roster (told so, shown nothing)."""
        person = await self._roster.wecom_person(userid)
        return person is not None and not person.active

    async def wecom_userid(self, person_id: int) -> str | None:
        """The WeCom account of a person (None: not on WeCom)."""
        return await self._roster.wecom_userid(person_id)

    async def wecom_userids(self, person_ids: list[int]) -> dict[int, str]:
        """The WeCom accounts of those of these active people who have one."""
        return await self._roster.wecom_userids(person_ids)

    async def used(self, actor: Actor) -> None:
        """Record that the person wrote from the actor's channel (a write only when it changed; bindings record it
        too). A hint for where notifications go, never worth failing an input for: a database locked past the wait
        leaves it as it was. Borders run it beside the input, so a locked database never delays the answer."""
        if actor.last_channel is actor.channel:
            return
        try:
            await self._roster.set_last_channel(actor.id, actor.channel)
        except DatabaseBusy:
            log.warning("person %s: the channel last used was not recorded (database busy)", actor.id)

    async def person(self, person_id: int) -> Person | None:
        """One roster entry (its channels: wecom_userid, last_channel)."""
        return await self._roster.person(person_id)

    async def first_group_notice(self, chat_id: int) -> bool:
        """True the first time a group chat is seen, so the private-only notice is sent once."""
        return await self._chats.note_group(chat_id, self._clock.now())
