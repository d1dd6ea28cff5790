"""The outbox dispatcher: drains due notifications within Telegram's limits, retries, records failures."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import timedelta
from functools import partial

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot import texts
from bot.clock import Clock
from bot.domain import limits
from bot.domain.notifications import Message
from bot.services.reminders import ReminderService
from bot.telegram_retry import own_retries
from scheduler.ratelimit import RateLimiter
from storage.media import MediaStore
from storage.outbox import OutboxRepository, Outgoing

log = logging.getLogger(__name__)

BATCH = 100
ATTEMPTS_IN_PROCESS = 4  # then the notification goes back to the queue with a longer backoff
MAX_BACKOFF = timedelta(minutes=30)


def _markup(message: Message) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in message.buttons]
    )


def _retry_seconds(exc: RetryAfter) -> float:
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class OutboxDispatcher:
    """Sends what the outbox holds. Delivery is at-least-once: a notification claimed by a process that stops
    before confirming it is sent again after restart."""

    def __init__(
        self,
        bot: Bot,
        outbox: OutboxRepository,
        reminders: ReminderService,
        limiter: RateLimiter,
        clock: Clock,
        media: MediaStore,
    ) -> None:
        self._bot = bot
        self._media = media
        self._outbox = outbox
        self._reminders = reminders
        self._limiter = limiter
        self._clock = clock
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._again = False

    def kick(self) -> None:
        """Start draining in the background (or drain once more after the drain under way): never blocks."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain_until_idle(), name="outbox-drain")
        else:
            self._again = True

    async def close(self) -> None:
        """Stop a background drain; what it had not confirmed is sent after the next start."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task

    async def _drain_until_idle(self) -> None:
        while True:
            self._again = False
            try:
                await self.drain()
            except Exception:
                log.exception("outbox drain failed; the next kick tries again")
                return
            if not self._again:
                return

    async def recover(self) -> int:
        """At start-up: notifications claimed but not confirmed before a stop go back to the queue."""
        return await self._outbox.requeue_interrupted()

    async def drain(self) -> int:
        """Send everything due now: chats side by side, each chat's messages in order; return how many were sent."""
        sent = 0
        async with self._lock:
            while batch := await self._outbox.claim_due(self._clock.now(), BATCH):
                by_chat: dict[int | None, list[Outgoing]] = defaultdict(list)
                for item in batch:
                    by_chat[item.chat_id].append(item)
                results = await asyncio.gather(*(self._deliver_chat(items) for items in by_chat.values()))
                sent += sum(results)
        return sent

    async def _deliver_chat(self, items: list[Outgoing]) -> int:
        sent = 0
        for item in items:
            try:
                sent += await self._deliver(item)
            except Exception:  # an unexpected failure must not leave the rest of the batch claimed until a restart
                log.exception("notification %s could not be delivered; it is tried again later", item.id)
                await self._retry_later(item, "unexpected error")
        return sent

    async def _deliver(self, item: Outgoing) -> int:
        """Send one notification: each Telegram call at most once on success, retried through passing failures.

        A time-out or a connection lost after Telegram carried a call out makes that call go out again: the
        documented at-least-once case. The calls already confirmed are not repeated.
        """
        if item.chat_id is None:
            await self._outbox.mark_failed(item.id, "not bound to Telegram")
            return 0
        parts = self._parts(item.chat_id, item.message)
        done, reason = 0, "network errors"
        for attempt in range(1, ATTEMPTS_IN_PROCESS + 1):
            pause = 0.0
            try:
                with own_retries():  # this loop is the one retry policy of notifications
                    while done < len(parts):
                        await self._limiter.acquire(item.chat_id)
                        await parts[done]()
                        done += 1
                await self._outbox.mark_sent(item.id, self._clock.now())
                return 1
            except RetryAfter as exc:
                pause = _retry_seconds(exc)
                self._limiter.pause(pause)
            except Forbidden as exc:
                await self._give_up(item, str(exc), texts.UNREACHABLE_BLOCKED)
                return 0
            except BadRequest as exc:
                gone = "chat not found" in str(exc).lower()
                await self._give_up(item, str(exc), texts.UNREACHABLE_GONE if gone else None)
                return 0
            except NetworkError as exc:  # time-outs, lost connections and 5xx answers
                log.info("notification %s: %s (attempt %s)", item.id, exc, attempt)
                pause = 0.5 * 2 ** (attempt - 1)
            except TelegramError as exc:  # any other refusal (e.g. 404, 409): Telegram may accept it later
                log.warning("notification %s: %s (attempt %s)", item.id, exc, attempt)
                reason = str(exc)[:200]
                break
            if attempt < ATTEMPTS_IN_PROCESS:
                await asyncio.sleep(pause)
        await self._retry_later(item, reason)
        return 0

    async def _retry_later(self, item: Outgoing, reason: str) -> None:
        """Back to the queue, due again after a back-off that doubles with each claim (30 s up to 30 min)."""
        backoff = min(timedelta(seconds=30 * 2**item.attempts), MAX_BACKOFF)
        await self._outbox.retry_at(item.id, self._clock.now() + backoff, reason)

    async def _give_up(self, item: Outgoing, error: str, unreachable_reason: str | None) -> None:
        log.warning("notification %s to person %s failed for good: %s", item.id, item.person_id, error)
        await self._outbox.mark_failed(item.id, error)
        if unreachable_reason is not None:
            await self._reminders.unreachable(item.person_id, unreachable_reason)

    def _parts(self, chat_id: int, message: Message) -> list[Callable[[], Awaitable[object]]]:
        """The Telegram calls of one notification: photos (one, or albums of up to ten), then the text."""
        parts: list[Callable[[], Awaitable[object]]] = []
        photos = message.photos
        for start in range(0, len(photos), limits.MAX_PHOTOS):
            chunk = photos[start : start + limits.MAX_PHOTOS]
            if len(chunk) == 1:
                parts.append(partial(self._bot.send_photo, chat_id, chunk[0]))
            else:
                parts.append(partial(self._bot.send_media_group, chat_id, [InputMediaPhoto(f) for f in chunk]))
        if message.image is not None:
            sha256, _, extension = message.image.partition(".")
            image = self._media.path(sha256, extension).read_bytes()
            parts.append(partial(self._bot.send_photo, chat_id, image))
        parts.append(partial(self._bot.send_message, chat_id, message.text, reply_markup=_markup(message)))
        return parts
