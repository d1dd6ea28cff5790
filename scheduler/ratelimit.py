"""Spacing outbound messages within Telegram's limits: a global rate and a per-chat rate."""

from __future__ import annotations

import asyncio


class RateLimiter:
    """Reserves a sending slot per call: at most `global_rate` per second overall, `chat_rate` per chat."""

    def __init__(self, global_rate: float, chat_rate: float) -> None:
        self._global_gap = 1.0 / global_rate
        self._chat_gap = 1.0 / chat_rate
        self._next_global = 0.0
        self._next_chat: dict[int, float] = {}
        self._pauses = 0
        self._lock = asyncio.Lock()

    async def acquire(self, chat_id: int) -> None:
        """Wait for this chat's next slot (slots are handed out in order, so no burst ever forms).

        A slot reserved before a pause is given up and reserved again after it, so a 429 stops every sender.
        """
        loop = asyncio.get_running_loop()
        while True:
            async with self._lock:
                now = loop.time()
                start = max(now, self._next_global, self._next_chat.get(chat_id, 0.0))
                self._next_global = start + self._global_gap
                self._next_chat[chat_id] = start + self._chat_gap
                pauses = self._pauses
                if len(self._next_chat) > 10_000:
                    self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
            if start > now:
                await asyncio.sleep(start - now)
            if self._pauses == pauses:
                return

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing goes out for `seconds`."""
        self._pauses += 1
        self._next_global = max(self._next_global, asyncio.get_running_loop().time() + seconds)
