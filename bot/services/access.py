"""Access use cases: who is behind an update, and the one-time notice to group chats."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.people import Actor
from storage.chats import ChatRepository
from storage.roster import RosterRepository


class AccessService:
    """Resolves Telegram accounts to roster people."""

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

    async def first_group_notice(self, chat_id: int) -> bool:
        """True the first time a group chat is seen, so the private-only notice is sent once."""
        return await self._chats.note_group(chat_id, self._clock.now())
