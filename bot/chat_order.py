"""Updates of different chats run side by side; the updates of one chat keep their order, and take one slot."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.clock import Clock
from bot.domain.flood import Arrival, FloodWatch, Screening

log = logging.getLogger(__name__)

# PTB takes a slot of its own semaphore before do_process_update, that is before the chat is known: an update waiting
# for its chat's earlier ones would hold a slot, and one chat's backlog could hold them all. Its semaphore is therefore
# set out of reach, and the real limit (self._slots) is taken only when the update's turn in its chat has come.
_PTB_SLOTS = 1 << 30


def _chat_key(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across chats, sequential within a chat, a chat's backlog bounded (DESIGN.md principle 9)."""

    def __init__(self, clock: Clock, max_concurrent_updates: int = 256) -> None:
        super().__init__(_PTB_SLOTS)
        self._clock = clock
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self._floods = FloodWatch()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers after every earlier update of the same chat, unless the chat's backlog is full."""
        key = _chat_key(update)
        if key is None:
            async with self._slots:
                await coroutine
            return
        flooding = self._floods.flooding(key)
        if self._floods.arrive(key, self._waiting.get(key, 0), self._clock.now()) is Arrival.DROP:
            if inspect.iscoroutine(coroutine):
                coroutine.close()  # never awaited on purpose
            return
        if not flooding and self._floods.flooding(key):
            log.warning("chat %s is flooding: its updates are refused until it is quiet", key)
        await self.run_in_chat(key, coroutine)

    def backlog(self, chat_id: int) -> int:
        """Updates (and jobs) of the chat waiting or running."""
        return self._waiting.get(chat_id, 0)

    def screen(self, chat_id: int) -> Screening:
        """Whether the gate serves the chat's update now (see bot/domain/flood.py)."""
        return self._floods.screen(chat_id)

    async def run_in_chat(self, key: int, coroutine: Awaitable[Any]) -> None:
        """Run work for a chat (an update, or a job such as a batch confirmation) in that chat's order."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if self._waiting[key] == 0:
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
