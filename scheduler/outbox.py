"""The outbox dispatcher: sends pending notifications, marks them sent, retries or records failures."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.clock import Clock
from bot.domain.notifications import Message
from storage.outbox import OutboxRepository, Outgoing

log = logging.getLogger(__name__)

BATCH = 20
MAX_BACKOFF = timedelta(minutes=10)


def _markup(message: Message) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in message.buttons]
    )


class OutboxDispatcher:
    """Drains the outbox; one drain at a time, so a notification's parts go out in order."""

    def __init__(self, bot: Bot, outbox: OutboxRepository, clock: Clock) -> None:
        self._bot = bot
        self._outbox = outbox
        self._clock = clock
        self._lock = asyncio.Lock()

    async def recover(self) -> int:
        """At start-up: notifications claimed but not confirmed before a stop are sent again (at-least-once)."""
        return await self._outbox.requeue_interrupted()

    async def drain(self) -> int:
        """Send everything due now; return how many were sent."""
        sent = 0
        async with self._lock:
            while batch := await self._outbox.claim_due(self._clock.now(), BATCH):
                for item in batch:
                    sent += await self._deliver(item)
        return sent

    async def _deliver(self, item: Outgoing) -> int:
        if item.chat_id is None:
            await self._outbox.mark_failed(item.id, "not bound to Telegram")
            return 0
        try:
            await self._send(item.chat_id, item.message)
        except RetryAfter as exc:
            retry = exc.retry_after if isinstance(exc.retry_after, timedelta) else timedelta(seconds=exc.retry_after)
            await self._outbox.retry_at(item.id, self._clock.now() + retry, str(exc))
            return 0
        except (Forbidden, BadRequest) as exc:
            log.warning("notification %s to person %s failed for good: %s", item.id, item.person_id, exc)
            await self._outbox.mark_failed(item.id, str(exc))
            return 0
        except NetworkError as exc:
            backoff = min(timedelta(seconds=2**item.attempts), MAX_BACKOFF)
            await self._outbox.retry_at(item.id, self._clock.now() + backoff, str(exc))
            return 0
        await self._outbox.mark_sent(item.id, self._clock.now())
        return 1

    async def _send(self, chat_id: int, message: Message) -> None:
        photos = message.photos
        for start in range(0, len(photos), 10):
            chunk = photos[start : start + 10]
            if len(chunk) == 1:
                await self._bot.send_photo(chat_id, chunk[0])
            else:
                await self._bot.send_media_group(chat_id, [InputMediaPhoto(file_id) for file_id in chunk])
        await self._bot.send_message(chat_id, message.text, reply_markup=_markup(message))
