"""The outbox dispatcher: drains due notifications within the channel's limits, retries, records failures.

It knows no channel: a sender (bot/chat/delivery.py), injected by the application wiring, makes the calls of each
notification and names its failures in plain terms; callbacks tell supervisors and admins of permanent failures.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import timedelta

from bot.chat.delivery import Later, Passing, RateLimited, Refused, Sender, Unreachable, passing_pause
from bot.clock import Clock
from bot.domain.notifications import SentKey
from scheduler.ratelimit import RateLimiter
from storage.card_messages import CardMessageRepository
from storage.outbox import OutboxRepository, Outgoing

log = logging.getLogger(__name__)

ATTEMPTS_IN_PROCESS = 4  # then the notification goes back to the queue with a longer backoff
MAX_BACKOFF = timedelta(minutes=30)

# Told of a person's permanent failure: (person id, reason or error).
FailureCallback = Callable[[int, str], Awaitable[object]]


class OutboxDispatcher:
    """Sends what the outbox holds, each chat in its own lane. Delivery is at-least-once: a notification claimed by
    a process that stops before confirming it is sent again after restart.

    Each chat has at most one notification in flight, and its next one is claimed only when that one is done, so a
    chat with a long queue holds up nobody else, and a notification of higher priority queued meanwhile (a major
    hazard alert, a new hazard to triage) is the chat's next, ahead of the queue. At most `lanes` chats are served
    at once, about one second of sending at the overall rate: what is claimed ahead is little, so anything new and
    urgent waits for a free slot no more than about a second.
    """

    def __init__(
        self,
        sender: Sender,
        outbox: OutboxRepository,
        limiter: RateLimiter,
        clock: Clock,
        lanes: int,
        *,
        unreachable: FailureCallback,
        failed: FailureCallback,
        cards: CardMessageRepository | None = None,
    ) -> None:
        self._sender = sender
        self._outbox = outbox
        self._cards = cards
        self._unreachable = unreachable
        self._failed = failed
        self._limiter = limiter
        self._clock = clock
        self._lanes = max(1, lanes)
        self._busy: dict[int, asyncio.Task[None]] = {}  # lane (chat) -> its notification in flight
        self._wake = asyncio.Event()
        self._pump: asyncio.Task[None] | None = None
        self._sent = 0

    def kick(self) -> None:
        """Look for due notifications in the background (now, or once the look under way is done): never blocks."""
        self._wake.set()
        if self._pump is None or self._pump.done():
            self._pump = asyncio.get_running_loop().create_task(self._run(), name="outbox-pump")

    async def drain(self) -> int:
        """Send everything due now and wait until it is done; return how many notifications were sent meanwhile."""
        before = self._sent
        self.kick()
        assert self._pump is not None
        await asyncio.shield(self._pump)
        return self._sent - before

    async def close(self) -> None:
        """Stop sending; what was not confirmed is sent after the next start."""
        tasks = [task for task in (self._pump, *self._busy.values()) if task is not None and not task.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError):
                await task

    async def recover(self) -> int:
        """At start-up: notifications claimed but not confirmed before a stop go back to the queue."""
        return await self._outbox.requeue_interrupted()

    async def _run(self) -> None:
        """Claim the most urgent due notification of each idle chat while lanes are free; end when all is done."""
        while True:
            self._wake.clear()
            free = self._lanes - len(self._busy)
            claimed: list[Outgoing] = []
            if free > 0:
                try:
                    claimed = await self._outbox.claim_due(self._clock.now(), free, list(self._busy))
                except Exception:
                    log.exception("outbox could not be read; the next kick tries again")
                    return
            for item in claimed:
                self._busy[item.lane] = asyncio.get_running_loop().create_task(
                    self._deliver_in_lane(item), name=f"outbox-{item.id}"
                )
            if not claimed and not self._busy:
                return
            await self._wake.wait()

    async def _deliver_in_lane(self, item: Outgoing) -> None:
        try:
            self._sent += await self._deliver(item)
        except Exception:  # an unexpected failure must not leave the notification claimed until a restart
            log.exception("notification %s could not be delivered; it is tried again later", item.id)
            with suppress(Exception):
                await self._retry_later(item, "unexpected error")
        finally:
            del self._busy[item.lane]
            self._wake.set()

    async def _deliver(self, item: Outgoing) -> int:
        """Send one notification: each call at most once on success, retried through passing failures.

        A time-out or a connection lost after the channel carried a call out makes that call go out again: the
        documented at-least-once case. The calls already confirmed are not repeated.
        """
        if item.chat_id is None:
            await self._outbox.mark_failed(item.id, "not bound to Telegram")
            return 0
        parts = self._sender.calls(item.chat_id, item.message)
        done, reason, results = 0, "network errors", list[object]()
        for attempt in range(1, ATTEMPTS_IN_PROCESS + 1):
            pause = 0.0
            try:
                while done < len(parts):
                    async with self._limiter.slot(item.chat_id):
                        results.append(await parts[done]())
                    done += 1
                await self._outbox.mark_sent(item.id, self._clock.now())
                await self._record(item, item.chat_id, results)
                return 1
            except RateLimited as exc:
                pause = exc.seconds
                self._limiter.pause(pause)
            except Unreachable as exc:
                await self._give_up(item, exc.error, exc.reason)
                return 0
            except Refused as exc:
                await self._give_up(item, exc.error, None)
                return 0
            except Passing as exc:  # time-outs, lost connections and server errors
                log.info("notification %s: %s (attempt %s)", item.id, exc, attempt)
                pause = passing_pause(attempt)
            except Later as exc:  # any other refusal: the channel may accept it later
                log.warning("notification %s: %s (attempt %s)", item.id, exc, attempt)
                reason = exc.error[:200]
                break
            if attempt < ATTEMPTS_IN_PROCESS:
                await asyncio.sleep(pause)
        await self._retry_later(item, reason)
        return 0

    async def _record(self, item: Outgoing, chat_id: int, results: list[object]) -> None:
        """A message about a hazard is remembered with its key: to edit it later, and to open it on a reply."""
        message = item.message
        if self._cards is None or message.hazard_id is None or message.edit is not None:
            return
        key = self._sender.message_key(results)
        if key is None:
            return
        sent = SentKey(channel=self._sender.channel, chat_id=chat_id, key=key)
        try:
            await self._cards.record(sent, message.hazard_id, item.person_id, bool(message.buttons), self._clock.now())
        except Exception:  # the message went out: a missing record costs an edit later, never a second message
            log.exception("the message of notification %s could not be recorded", item.id)

    async def _retry_later(self, item: Outgoing, reason: str) -> None:
        """Back to the queue, due again after a back-off that doubles with each claim (30 s up to 30 min)."""
        backoff = min(timedelta(seconds=30 * 2**item.attempts), MAX_BACKOFF)
        await self._outbox.retry_at(item.id, self._clock.now() + backoff, reason)

    async def _give_up(self, item: Outgoing, error: str, unreachable_reason: str | None) -> None:
        """Record a permanent failure and tell someone: never silent.

        A person who blocked the bot or whose chat is gone is theirs to fix: their supervisors are told. Any other
        refusal is GridSafe's fault (a message Telegram cannot take): an error in the log, and the admins are told.
        """
        await self._outbox.mark_failed(item.id, error)
        if unreachable_reason is not None:
            log.warning("notification %s to person %s failed for good: %s", item.id, item.person_id, error)
            await self._unreachable(item.person_id, unreachable_reason)
        else:
            log.error("notification %s to person %s failed for good: %s", item.id, item.person_id, error)
            await self._failed(item.person_id, error)
