"""Spacing outbound messages within a channel's limits: a global rate and a per-chat rate."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager


class RateLimiter:
    """Reserves a sending slot per call: at most `global_rate` per second overall, `chat_rate` per chat."""

    def __init__(self, global_rate: float, chat_rate: float) -> None:
        self._global_gap = 1.0 / global_rate
        self._chat_gap = 1.0 / chat_rate
        self._next_global = 0.0
        self._next_chat: dict[Hashable, float] = {}
        self._pauses = 0
        self._lock = asyncio.Lock()

    async def acquire(self, chat_id: Hashable) -> None:
        """Wait for this chat's next slot, then for the next overall slot (handed out in order: no burst forms).

        A chat waits for its own pace without holding an overall slot, so a busy chat never delays another chat.
        A slot reserved before a pause is given up and reserved again after it, so a 429 stops every sender.
        """
        loop = asyncio.get_running_loop()
        while True:
            async with self._lock:
                now = loop.time()
                chat_at = self._next_chat.get(chat_id, 0.0)
                if chat_at <= now:
                    start = max(now, self._next_global)
                    self._next_global = start + self._global_gap
                    self._next_chat[chat_id] = start + self._chat_gap
                    pauses = self._pauses
                if len(self._next_chat) > 10_000:
                    self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
            if chat_at > now:
                await asyncio.sleep(chat_at - now)
                continue
            if start > now:
                await asyncio.sleep(start - now)
            if self._pauses == pauses:
                return

    @asynccontextmanager
    async def slot(self, chat_id: Hashable) -> AsyncIterator[None]:
        """A sending slot for one call to this chat (see `acquire`), held until the call is answered.

        The chat's next slot is a full gap after the answer: Telegram counts a message when the request reaches it,
        and a request that took longer on its way than the next one would otherwise follow it too closely.
        """
        await self.acquire(chat_id)
        try:
            yield
        finally:
            after = asyncio.get_running_loop().time() + self._chat_gap
            self._next_chat[chat_id] = max(self._next_chat.get(chat_id, 0.0), after)

    def pause(self, seconds: float) -> None:
        """The channel said to wait (Telegram's 429, WeCom's 45009): nothing goes out for `seconds`."""
        self._pauses += 1
        self._next_global = max(self._next_global, asyncio.get_running_loop().time() + seconds)
